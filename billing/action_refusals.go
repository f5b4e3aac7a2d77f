package billing

import (
	"errors"
	"net/http"
	"strings"

	"github.com/paydesk/paydesk/storage"
)

// auditPrepare records a Prepare that refused the request (deferred by
// every Prepare with its named error): a check of the request or of the
// target's fresh state on Stripe (a *FieldError: amount above what is
// left, invoice not open, dispute already closed, bad email, http://
// return URL, control characters) or Stripe refusing a read or preview
// the plan needs (a 4xx other than 429, with its request id). The record
// has the operator, action, target, outcome "refused", the request id and
// the reason as ExplainAction words it. Not recorded: role refusals
// (authorize records those), a request with no target, an earlier intent
// that settled the request, and network or 5xx/429 failures (nothing was
// refused). The console's field checks while typing call no Prepare and
// are not recorded either.
func (a *Actions) auditPrepare(op Operator, act Action, target string, errp *error) {
	err := *errp
	target = strings.TrimSpace(target)
	if err == nil || target == "" || errors.Is(err, ErrForbidden) || IsOffline(err) || errors.Is(err, ErrOutcomeUnknown) {
		return
	}
	var ee *EarlierError
	if errors.As(err, &ee) {
		return
	}
	reqID := ""
	if _, ok := AsFieldError(err); !ok {
		se := stripeError(err)
		if se == nil || se.HTTPStatusCode < 400 || se.HTTPStatusCode >= 500 || se.HTTPStatusCode == http.StatusTooManyRequests {
			return
		}
		reqID = se.RequestID
	}
	a.appendRefusal(storage.AuditRecord{Operator: op.Name, Action: string(act), Target: target, RequestID: reqID}, err)
}

// refused records the refusal of a prepared plan before it was sent (it
// repeats an identical request that succeeded recently).
func (a *Actions) refused(p *Plan, err error) {
	a.appendRefusal(storage.AuditRecord{Operator: p.Operator.Name, Action: string(p.Action), Target: p.Target, Amount: p.Amount,
		Currency: p.Currency, Key: p.Key, Variant: Variant(p.Action, p.Call)}, err)
}

func (a *Actions) appendRefusal(rec storage.AuditRecord, err error) {
	rec.At, rec.Outcome, rec.Detail = a.now().Unix(), OutcomeRefused, ExplainAction(err)
	if _, aerr := a.store.AppendAudit(rec); aerr != nil {
		a.c.log.Warn("audit of a refused action not written", "action", rec.Action, "err", aerr)
	}
}
