package billing

import (
	"context"

	"github.com/paydesk/paydesk/storage"
)

// Draft invoice actions: finalize (POST /v1/invoices/{id}/finalize) and
// delete (DELETE /v1/invoices/{id}). Both go through PrepareInvoice and
// apply only to drafts; Stripe deletes only one-off drafts (a
// subscription's draft is finalized, then voided if unwanted).
const (
	ActionInvoiceFinalize Action = "invoice_finalize"
	ActionInvoiceDelete   Action = "invoice_delete"
)

func init() {
	invoiceOps[ActionInvoiceFinalize] = invoiceOp{"/v1/invoices/%s/finalize", "open", "Finalize the draft: numbered, open for payment", false}
	invoiceOps[ActionInvoiceDelete] = invoiceOp{"/v1/invoices/%s", "deleted", "Delete the draft invoice (cannot be undone)", false}
	lookupDraft := func(a *Actions, ctx context.Context, in storage.Intent, _ Call) (string, bool, error) {
		return a.lookupInvoice(ctx, in)
	}
	actionSpecs = append(actionSpecs,
		ActionSpec{Action: ActionInvoiceFinalize, Name: "finalization", Kinds: []storage.Kind{storage.KindInvoice},
			NoRepeat: "only a draft can be finalized",
			MinRole:  RoleFinance, States: []string{"draft"}, Endpoints: []string{"POST /v1/invoices/%s/finalize"},
			Irreversible: never, lookup: lookupDraft},
		ActionSpec{Action: ActionInvoiceDelete, Name: "draft deletion", Kinds: []storage.Kind{storage.KindInvoice},
			NoRepeat: "only a draft can be deleted, once",
			MinRole:  RoleFinance, States: []string{"draft"}, Endpoints: []string{"DELETE /v1/invoices/%s"},
			Irreversible: always, Word: "delete", lookup: lookupDraft, applies: oneOffDraft},
	)
}

// oneOffDraft: Stripe deletes only drafts that no subscription created.
func oneOffDraft(obj map[string]any) string {
	if sub := str(obj, "subscription"); sub != "" && str(obj, "status") == "draft" {
		return "it belongs to subscription " + sub + ": Stripe deletes only one-off drafts (finalize it, then void it)"
	}
	return ""
}
