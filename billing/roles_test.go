package billing

import (
	"errors"
	"testing"
)

func TestRoleCan(t *testing.T) {
	cases := []struct {
		role Role
		act  Action
		want bool
	}{
		{RoleViewer, ActionCredit, false},
		{RoleViewer, ActionRefund, false},
		{RoleSupport, ActionCredit, true},
		{RoleSupport, ActionDisputeEvidence, true},
		{RoleSupport, ActionRefund, false},
		{RoleFinance, ActionRefund, true},
		{RoleFinance, ActionInvoiceVoid, true},
		{RoleFinance, ActionCredit, true},
		{RoleAdmin, ActionPlanChange, true},
		{RoleAdmin, Action("wire_transfer"), false},
		{Role(""), ActionCredit, false},
	}
	for _, c := range cases {
		if got := c.role.Can(c.act); got != c.want {
			t.Errorf("%q.Can(%q) = %v, want %v", c.role, c.act, got, c.want)
		}
	}
}

func TestAuthorize(t *testing.T) {
	op := Operator{Name: "ana (SHA256:abc)", Role: RoleSupport}
	if err := op.Authorize(ActionCredit); err != nil {
		t.Fatalf("support credit: %v", err)
	}
	err := op.Authorize(ActionRefund)
	if !errors.Is(err, ErrForbidden) {
		t.Fatalf("support refund: %v, want ErrForbidden", err)
	}
	if want := "refund needs the finance role, ana (SHA256:abc) has support: not allowed for this role"; err.Error() != want {
		t.Fatalf("message %q, want %q", err.Error(), want)
	}
	if _, err := ParseRole("Finance "); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseRole("root"); err == nil {
		t.Fatal("ParseRole(root) accepted")
	}
}
