package billing

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
)

func TestActionDisputeAcceptEndToEnd(t *testing.T) {
	t.Parallel()
	e := newActionEnv(t, envOptions{webhooks: true, customers: 150})
	ctx := context.Background()
	dp := e.openDispute()
	before := e.obj(storage.KindDispute, dp)
	if _, err := e.acts.PrepareDisputeAccept(ctx, support, DisputeAcceptRequest{Dispute: dp}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("support accepted a dispute: %v", err)
	}
	p := mustPlan(t)(e.acts.PrepareDisputeAccept(ctx, finance, DisputeAcceptRequest{Dispute: dp}))
	want := disputeClosedBy[str(before, "status")]
	if p.Call.String() != "POST /v1/disputes/"+dp+"/close" || !p.Irreversible() || p.ConfirmWord() != "accept" ||
		p.Amount != num(before, "amount") || p.Currency != str(before, "currency") ||
		lineValue(p, "Status") != str(before, "status")+" → "+want {
		t.Fatalf("accept plan %s irreversible=%v word %q amount %d %s lines %+v", p.Call, p.Irreversible(), p.ConfirmWord(), p.Amount, p.Currency, p.Lines)
	}
	if _, found, err := e.acts.lookupDisputeClosed(ctx, storage.Intent{Action: string(ActionDisputeAccept), Target: dp}); err != nil || found {
		t.Fatalf("lookup of an open dispute: %v %v", found, err)
	}
	r := mustExec(t, e.acts, p)
	if r.ResultID != dp || str(e.obj(storage.KindDispute, dp), "status") != want {
		t.Fatalf("accepted: %+v, status %s", r, str(e.obj(storage.KindDispute, dp), "status"))
	}
	e.waitCache(storage.KindDispute, dp, "status "+want, func(m map[string]any) bool { return str(m, "status") == want })
	e.checkAudit(p, r, OutcomeSucceeded)
	if _, found, err := e.acts.lookupDisputeClosed(ctx, storage.Intent{Action: string(ActionDisputeAccept), Target: dp}); err != nil || !found {
		t.Fatalf("lookup of the accepted dispute: %v %v", found, err)
	}

	// Closed now: not offered, refused by Prepare before anything is
	// sent, and refused by Stripe (the sandbox) when sent anyway.
	e.refusedLikeStripe(t, []stateCase{{ActionDisputeAccept, storage.KindDispute, dp, func() error {
		return errOf(e.acts.PrepareDisputeAccept(ctx, finance, DisputeAcceptRequest{Dispute: dp}))
	}, Call{Method: http.MethodPost, Path: "/v1/disputes/" + dp + "/close"}, ""}})
	raw, _ := json.Marshal(e.obj(storage.KindDispute, dp))
	if why := NotApplicable(ActionDisputeAccept, storage.KindDispute, raw); !strings.Contains(why, "needs_response") {
		t.Fatalf("NotApplicable on a closed dispute = %q", why)
	}
}
