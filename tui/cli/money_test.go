package cli_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/cli"
	"github.com/paydesk/paydesk/tui/internal/actenv"
)

func TestRefundCLI(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	ctx := context.Background()
	ch := e.Find(storage.KindCharge, "refundable usd charge", func(m map[string]any) bool {
		return actenv.Str(m, "status") == "succeeded" && actenv.Num(m, "amount_refunded") == 0 &&
			!actenv.Bool(m, "disputed") && actenv.Str(m, "currency") == "usd" && actenv.Num(m, "amount") > 1000
	})
	req := billing.RefundRequest{Target: ch.ID, Amount: "6.00", Reason: "duplicate", Note: "script"}

	// Without --yes: the plan is printed, nothing is sent.
	var out bytes.Buffer
	err := cli.Run(ctx, e.Acts, func() (*billing.Plan, error) { return e.Acts.PrepareRefund(ctx, actenv.Admin, req) }, cli.Confirm{}, &out)
	if !errors.Is(err, cli.ErrNotConfirmed) || !strings.Contains(err.Error(), "add --yes to send") {
		t.Fatalf("without --yes: %v", err)
	}
	for _, want := range []string{"refund " + ch.ID, "Refund            $6.00 (partial)", "Reason            duplicate", "Idempotency key   pd_"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("plan output lacks %q:\n%s", want, out.String())
		}
	}
	if n := e.Reqs.Count("POST /v1/refunds"); n != 0 {
		t.Fatalf("%d refunds sent without --yes", n)
	}

	// With --yes: sent once, the outcome printed.
	out.Reset()
	if err := cli.Run(ctx, e.Acts, func() (*billing.Plan, error) { return e.Acts.PrepareRefund(ctx, actenv.Admin, req) }, cli.Confirm{Yes: true}, &out); err != nil {
		t.Fatalf("with --yes: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "sent: refund "+ch.ID+" -> re_") || !strings.Contains(out.String(), "request id req_") {
		t.Fatalf("outcome output:\n%s", out.String())
	}
	if got := actenv.Num(e.Object(storage.KindCharge, ch.ID), "amount_refunded"); got != 600 || e.Reqs.Count("POST /v1/refunds") != 1 {
		t.Fatalf("amount_refunded %d after one --yes", got)
	}
	if recs := e.Audit(1); recs[0].Target != ch.ID || recs[0].Outcome != billing.OutcomeSucceeded || recs[0].Amount != 600 {
		t.Fatalf("audit %+v", recs[0])
	}

	// Too much: the error is a sentence, nothing is sent.
	out.Reset()
	err = cli.Run(ctx, e.Acts, func() (*billing.Plan, error) {
		return e.Acts.PrepareRefund(ctx, actenv.Admin, billing.RefundRequest{Target: ch.ID, Amount: "10000"})
	}, cli.Confirm{Yes: true}, &out)
	if _, ok := billing.AsFieldError(err); !ok || !strings.HasPrefix(err.Error(), "At most $23.00 can be refunded") {
		t.Fatalf("refund above refundable: %v", err)
	}
	// A viewer is refused before anything is printed or sent.
	err = cli.Run(ctx, e.Acts, func() (*billing.Plan, error) {
		return e.Acts.PrepareRefund(ctx, billing.Operator{Name: "vic", Role: billing.RoleViewer}, req)
	}, cli.Confirm{Yes: true}, &out)
	if !errors.Is(err, billing.ErrForbidden) || !strings.HasPrefix(err.Error(), "Not allowed") {
		t.Fatalf("viewer: %v", err)
	}
	if e.Reqs.Count("POST /v1/refunds") != 1 {
		t.Fatal("refused refunds reached Stripe")
	}
}

func TestCreditCLI(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	ctx := context.Background()
	cus := e.Find(storage.KindCustomer, "usd", func(m map[string]any) bool { return actenv.Str(m, "currency") == "usd" })
	before := actenv.Num(e.Object(storage.KindCustomer, cus.ID), "balance")
	req := billing.CreditRequest{Customer: cus.ID, Direction: billing.DirectionDebit, Amount: "3.10", Description: "manual fee"}
	var out bytes.Buffer
	if err := cli.Run(ctx, e.Acts, func() (*billing.Plan, error) { return e.Acts.PrepareCredit(ctx, actenv.Admin, req) }, cli.Confirm{}, &out); !errors.Is(err, cli.ErrNotConfirmed) {
		t.Fatalf("without --yes: %v", err)
	}
	if !strings.Contains(out.String(), "Adjustment       $3.10 debit") || e.Reqs.Count("POST") != 0 {
		t.Fatalf("plan output (or a POST):\n%s", out.String())
	}
	out.Reset()
	if err := cli.Run(ctx, e.Acts, func() (*billing.Plan, error) { return e.Acts.PrepareCredit(ctx, actenv.Admin, req) }, cli.Confirm{Yes: true}, &out); err != nil {
		t.Fatalf("with --yes: %v", err)
	}
	if !strings.Contains(out.String(), "sent: credit "+cus.ID+" -> cbtxn_") {
		t.Fatalf("outcome:\n%s", out.String())
	}
	if got := actenv.Num(e.Object(storage.KindCustomer, cus.ID), "balance"); got != before+310 {
		t.Fatalf("balance %d, want %d", got, before+310)
	}
	err := cli.Run(ctx, e.Acts, func() (*billing.Plan, error) {
		return e.Acts.PrepareCredit(ctx, actenv.Admin, billing.CreditRequest{Customer: cus.ID, Direction: billing.DirectionCredit, Amount: "1.999"})
	}, cli.Confirm{Yes: true}, &out)
	if _, ok := billing.AsFieldError(err); !ok || !strings.Contains(err.Error(), "digits after the point") {
		t.Fatalf("three decimals: %v", err)
	}
}
