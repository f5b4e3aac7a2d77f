package common

import (
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing"
)

var (
	wallAt    = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	accountAt = wallAt.Add(36 * time.Hour) // a demo account clock ahead of the wall
)

// TestClocksKeepAccountAndWallApart: a session given both clocks answers
// Now with account time and Wall with real time; given only the account's,
// Wall follows it (a real account, where the two are one).
func TestClocksKeepAccountAndWallApart(t *testing.T) {
	account := func() time.Time { return accountAt }
	wall := func() time.Time { return wallAt }
	c := New(Common{Clocks: billing.Clocks{Account: account, Wall: wall}})
	if !c.Now().Equal(accountAt) || !c.Wall().Equal(wallAt) {
		t.Fatalf("Now %v Wall %v, want %v and %v", c.Now(), c.Wall(), accountAt, wallAt)
	}
	c = New(Common{Clocks: billing.Clocks{Account: account}})
	if !c.Wall().Equal(accountAt) {
		t.Fatalf("Wall without its own clock = %v, want the account's %v", c.Wall(), accountAt)
	}
}
