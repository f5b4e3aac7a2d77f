package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestLsCouponsAndPromotionCodes: `ls coupons` shows a percent coupon's
// amount as "25%", and `ls promotion_codes` has the CODE customers type
// and says which codes cannot be redeemed and why (LAUNCH50's coupon is
// used up, SPRING2025 inactive), not "active".
func TestLsCouponsAndPromotionCodes(t *testing.T) {
	db, _, _ := cliSandbox(t)
	if code, _, errOut := runCLI(t, "sync", "--db", db); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	code, out, errOut := runCLI(t, "ls", "coupons", "--db", db)
	if code != 0 || !regexp.MustCompile(`(?m)\s25%\s+Spring 25%`).MatchString(out) || !strings.Contains(out, "$10.00") {
		t.Fatalf("ls coupons: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "ls", "promotion_codes", "--db", db)
	if code != 0 || !strings.Contains(strings.SplitN(out, "\n", 2)[0], "CODE") {
		t.Fatalf("ls promotion_codes: exit %d\n%s\n%s", code, out, errOut)
	}
	for code, want := range map[string]string{
		"LAUNCH50": "not redeemable: coupon used up (1 of 1)", "SPRING2025": "not redeemable: inactive",
		"BLACKFRIDAY": "not redeemable: coupon expired", "SPRING25 ": "active",
	} {
		if !regexp.MustCompile(`(?m)` + regexp.QuoteMeta(code) + `\s*` + regexp.QuoteMeta(want)).MatchString(out) {
			t.Errorf("%s: want %q in\n%s", code, want, out)
		}
	}
}
