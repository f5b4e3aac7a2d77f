// Package testclock holds the fixed, named instant every test clock in paydesk
// starts at, and the knob that moves it.
//
// Tests never read the wall-clock date: the sandbox's account clock, the
// billing client's, the cache's and the console's all start at Anchor(). By
// default that is Default (2026-11-23 12:00 UTC, a Monday); the environment
// variable PAYDESK_TEST_ANCHOR (RFC 3339, e.g. "2028-02-29T12:00:00Z") moves it
// so the suite can be run at month ends, leap days, year ends and DST changes:
//
//	PAYDESK_TEST_ANCHOR=2027-01-31T12:00:00Z go test ./billing/...
//
// PAYDESK_TEST_ZONE (an IANA name such as "America/New_York") sets the
// operator's zone the console tests render times in (default UTC).
//
// Goldens record the screens at the default anchor and zone; Moved reports
// when either was changed, and golden comparisons are skipped then (every
// other assertion still runs). This package is imported by tests and
// test-support packages only.
package testclock

import (
	"fmt"
	"os"
	"sync"
	"time"
	_ "time/tzdata" // zones resolve on machines without /usr/share/zoneinfo
)

// Environment variables that move the anchor and the operator's zone.
const (
	AnchorEnv = "PAYDESK_TEST_ANCHOR"
	ZoneEnv   = "PAYDESK_TEST_ZONE"
)

// Default is the anchor when PAYDESK_TEST_ANCHOR is unset: Monday
// 2026-11-23 12:00:00 UTC.
var Default = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

var (
	once   sync.Once
	anchor time.Time
	zone   *time.Location
	moved  bool
	start  time.Time
)

func load() {
	once.Do(func() {
		anchor, zone = Default, time.UTC
		if v := os.Getenv(AnchorEnv); v != "" {
			at, err := time.Parse(time.RFC3339, v)
			if err != nil {
				panic(fmt.Sprintf("%s=%q: want an RFC 3339 time like 2028-02-29T12:00:00Z: %v", AnchorEnv, v, err))
			}
			anchor, moved = at.UTC(), !at.Equal(Default)
		}
		if v := os.Getenv(ZoneEnv); v != "" {
			loc, err := time.LoadLocation(v)
			if err != nil {
				panic(fmt.Sprintf("%s=%q: want an IANA zone name like America/New_York: %v", ZoneEnv, v, err))
			}
			zone, moved = loc, moved || loc.String() != "UTC"
		}
		start = time.Now() // elapsed time only; never its date
	})
}

// Anchor returns the instant test clocks start at, in UTC.
func Anchor() time.Time { load(); return anchor }

// Zone returns the operator's zone console tests render times in.
func Zone() *time.Location { load(); return zone }

// Moved reports whether the anchor or zone differs from the defaults the
// goldens were recorded at.
func Moved() bool { load(); return moved }

// Running returns a clock that reads Anchor() plus the time elapsed since the
// package first loaded: it moves like a real clock (timeouts, retries and
// tolerances behave) but its date is the anchor's.
func Running() func() time.Time {
	at := Anchor()
	return func() time.Time { return at.Add(time.Since(start)) }
}

// DateFree skips t when the clocks were moved: for a heavy test that reads
// no date (a byte scan of hostile text, a damaged file), running it again at
// another anchor only costs CI time. It runs at the default anchor.
func DateFree(t interface {
	Helper()
	Skipf(format string, args ...any)
}) {
	t.Helper()
	if Moved() {
		t.Skipf("reads no date: runs at the default anchor only")
	}
}
