package format

import (
	"strconv"
	"time"
)

// Relative says how far t is from now in the fewest characters that still
// read well in a table cell: "just now", "5m ago", "3h ago", "in 2d",
// "4mo ago". Zero times print "-".
func Relative(t, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := t.Sub(now)
	future := d > 0
	if !future {
		d = -d
	}
	if d < 45*time.Second {
		return "just now"
	}
	span := Span(d)
	if future {
		return "in " + span
	}
	return span + " ago"
}

// Span writes a duration as its largest whole unit: 59s, 12m, 5h, 3d,
// 4mo, 2y.
func Span(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d < 60*24*time.Hour:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	case d < 365*24*time.Hour:
		return strconv.Itoa(int(d/(30*24*time.Hour))) + "mo"
	default:
		return strconv.Itoa(int(d/(365*24*time.Hour))) + "y"
	}
}

// Date prints a unix time as a date in loc ("2026-11-23"); 0 prints "-".
func Date(unix int64, loc *time.Location) string {
	if unix == 0 {
		return "-"
	}
	return time.Unix(unix, 0).In(loc).Format("2006-01-02")
}

// Stamp prints a unix time with minutes in loc ("2026-11-23 14:05");
// 0 prints "-".
func Stamp(unix int64, loc *time.Location) string {
	if unix == 0 {
		return "-"
	}
	return time.Unix(unix, 0).In(loc).Format("2006-01-02 15:04")
}
