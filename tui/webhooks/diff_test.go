package webhooks

import (
	"strings"
	"testing"
)

func TestLineDiff(t *testing.T) {
	before := PrettyJSON([]byte(`{"id":"in_1","status":"open","attempt_count":1,"amount_due":500,"lines":[1,2,3]}`))
	after := PrettyJSON([]byte(`{"amount_due":500,"attempt_count":2,"id":"in_1","status":"open","next_payment_attempt":99,"lines":[1,2,3]}`))
	got := strings.Join(LineDiff(before, after, 1), "\n")
	want := strings.Join([]string{
		`    "amount_due": 500,`,
		`-   "attempt_count": 1,`,
		`+   "attempt_count": 2,`,
		`    "id": "in_1",`,
		`…`,
		`    ],`,
		`+   "next_payment_attempt": 99,`,
		`    "status": "open"`,
	}, "\n")
	if got != want {
		t.Fatalf("diff:\n%s\nwant:\n%s", got, want)
	}
	if d := LineDiff(before, before, 3); len(d) != 1 || d[0] != "(no change)" {
		t.Fatalf("same: %v", d)
	}
	if d := LineDiff("", "{\n}", 3); strings.Join(d, "|") != "+ {|+ }" {
		t.Fatalf("from nothing: %v", d)
	}
}
