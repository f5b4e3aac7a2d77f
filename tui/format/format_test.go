package format

import (
	"testing"
	"time"
)

func TestRelative(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		t    time.Time
		want string
	}{
		{time.Time{}, "-"},
		{now.Add(-10 * time.Second), "just now"},
		{now.Add(-5 * time.Minute), "5m ago"},
		{now.Add(3 * time.Hour), "in 3h"},
		{now.Add(72 * time.Hour), "in 3d"},
		{now.Add(-100 * 24 * time.Hour), "3mo ago"},
		{now.Add(-800 * 24 * time.Hour), "2y ago"},
	}
	for _, c := range cases {
		if got := Relative(c.t, now); got != c.want {
			t.Errorf("Relative(%v) = %q, want %q", c.t, got, c.want)
		}
	}
	if got := Date(0, time.UTC); got != "-" {
		t.Errorf("Date(0) = %q", got)
	}
	if got := Stamp(now.Unix(), time.UTC); got != "2026-11-23 12:00" {
		t.Errorf("Stamp = %q", got)
	}
}

func TestSparkline(t *testing.T) {
	if got := Sparkline([]int{0, 1, 2, 4, 8}); got != ".▁▂▄█" {
		t.Errorf("Sparkline = %q", got)
	}
	if got := SparklineTo([]int{1, 2, 5}, 2); got != "▄██" {
		t.Errorf("SparklineTo = %q", got)
	}
	if got := Sparkline([]int{0, 0}); got != ".." {
		t.Errorf("zeros = %q", got)
	}
}
