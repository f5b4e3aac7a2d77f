package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
)

// ActionDisputeAccept closes a dispute: the merchant accepts it as lost
// (POST /v1/disputes/{id}/close). Irreversible.
const ActionDisputeAccept Action = "dispute_accept"

// disputeClosedBy is the status Stripe leaves a dispute in when it is
// closed (accepted) from each status that takes a response.
var disputeClosedBy = map[string]string{"needs_response": "lost", "warning_needs_response": "warning_closed"}

func init() {
	actionSpecs = append(actionSpecs, ActionSpec{Action: ActionDisputeAccept, Name: "dispute acceptance",
		NoRepeat: "Stripe refuses to close a closed dispute",
		Kinds:    []storage.Kind{storage.KindDispute}, MinRole: RoleFinance,
		States:    []string{"needs_response", "warning_needs_response"},
		Endpoints: []string{"POST /v1/disputes/%s/close"}, Irreversible: always, Word: "accept",
		lookup: func(a *Actions, ctx context.Context, in storage.Intent, _ Call) (string, bool, error) {
			return a.lookupDisputeClosed(ctx, in)
		}})
}

// DisputeAcceptRequest accepts (closes) one dispute.
type DisputeAcceptRequest struct {
	Dispute string
}

// PrepareDisputeAccept validates accepting a dispute against its fresh
// state (GET /v1/disputes/{id}): Stripe closes only disputes in
// needs_response or warning_needs_response. The plan sends
// POST /v1/disputes/{id}/close (no parameters: the endpoint takes no
// metadata) and is irreversible: the disputed amount (minor units) is
// lost for good, and the confirmation asks for the word "accept".
// Errors: *FieldError "dispute" when the state refuses it, ErrForbidden
// below finance, *EarlierError when an earlier acceptance is pending.
func (a *Actions) PrepareDisputeAccept(ctx context.Context, op Operator, req DisputeAcceptRequest) (_ *Plan, err error) {
	defer a.auditPrepare(op, ActionDisputeAccept, req.Dispute, &err)
	p, err := a.start(ctx, op, ActionDisputeAccept, strings.TrimSpace(req.Dispute), "dispute")
	if err != nil || p.Earlier {
		return p, err
	}
	dp, err := a.fresh(ctx, p, storage.KindDispute, p.Target, "status", "evidence_details.submission_count")
	if err != nil {
		return nil, err
	}
	status := str(dp, "status")
	to, ok := disputeClosedBy[status]
	if !ok {
		return nil, fieldErrf("dispute", "dispute %s is %s: it can be accepted only while it needs a response", p.Target, orDash(status))
	}
	p.Call = Call{Method: http.MethodPost, Path: stripe.FormatURLPath("/v1/disputes/%s/close", p.Target)}
	p.Amount, p.Currency = num(dp, "amount"), str(dp, "currency")
	p.ConfirmTwice = true
	loss := "the disputed amount and the dispute fee are not returned"
	if status == "warning_needs_response" {
		loss = "an inquiry: closing it ends it without a chargeback"
	}
	p.Lines = []Line{
		{"Action", "ACCEPT (close) the dispute: final, cannot be contested"},
		{"Dispute", p.Target + " on charge " + str(dp, "charge")},
		a.customerLine(a.disputeCustomer(dp), "", ""),
		{"Disputed amount", money.Format(p.Amount, p.Currency)},
		{"Reason", str(dp, "reason")},
		{"Status", status + " → " + to},
		{"Evidence submitted", fmt.Sprintf("%d time(s)", num(dp, "evidence_details.submission_count"))},
	}
	if due := num(dp, "evidence_details.due_by"); due > 0 {
		p.Lines = append(p.Lines, Line{"Due by", time.Unix(due, 0).UTC().Format(time.DateTime) + " UTC"})
	}
	p.Lines = append(p.Lines, Line{"Effect", loss}, Line{"Idempotency key", p.Key})
	return a.finish(p)
}

// lookupDisputeClosed reports an acceptance as done when the dispute is
// in the status closing it leaves (lost, or warning_closed for an
// inquiry).
func (a *Actions) lookupDisputeClosed(ctx context.Context, in storage.Intent) (string, bool, error) {
	raw, err := a.c.Retrieve(ctx, storage.KindDispute, in.Target)
	if err != nil {
		return "", false, err
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return "", false, fmt.Errorf("decode %s: %w", in.Target, err)
	}
	st := str(obj, "status")
	return in.Target, st == "lost" || st == "warning_closed", nil
}
