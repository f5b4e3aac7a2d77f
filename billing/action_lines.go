package billing

import (
	"encoding/json"

	"github.com/paydesk/paydesk/storage"
)

// customerLine is the confirmation's "Customer" row, worded the same for
// every action: the customer id with its name and email ("cus_… (Ada
// Lovelace, ada@example.com)"). name and email come from the fresh object
// when it carries them (an invoice's customer_name and customer_email);
// otherwise the cached customer supplies them. "-" when there is no
// customer.
func (a *Actions) customerLine(id, name, email string) Line {
	if id == "" {
		return Line{"Customer", "-"}
	}
	if name == "" && email == "" && a.store != nil {
		if env, err := a.store.Get(storage.KindCustomer, id); err == nil {
			var cus struct {
				Name  string `json:"name"`
				Email string `json:"email"`
			}
			if json.Unmarshal(env.Raw, &cus) == nil {
				name, email = cus.Name, cus.Email
			}
		}
	}
	return Line{"Customer", id + nameSuffix(name, email)}
}

// disputeCustomer is the customer a dispute's charge belongs to, as the
// cache files it ("" when unknown): a dispute object names only its charge.
func (a *Actions) disputeCustomer(dispute map[string]any) string {
	if a.store == nil {
		return ""
	}
	if env, err := a.store.Get(storage.KindCharge, str(dispute, "charge")); err == nil {
		return env.Customer
	}
	if env, err := a.store.Get(storage.KindDispute, str(dispute, "id")); err == nil {
		return env.Customer
	}
	return ""
}

// Variant names which form of an action a call takes, for the audit trail
// and lists that show one word beside the action: a cancellation "now",
// "at period end" or "undo"; dispute evidence "submit" or "draft";
// collection "pause" or "resume"; a discount "apply" or "remove". "" for
// actions with one form.
func Variant(act Action, call Call) string {
	switch act {
	case ActionDiscount:
		if call.Method == "DELETE" {
			return "remove"
		}
		return "apply"
	case ActionCancel:
		switch {
		case call.Method == "DELETE":
			return "now"
		case call.Get("cancel_at_period_end") == "false":
			return "undo"
		}
		return "at period end"
	case ActionDisputeEvidence:
		if call.Get("submit") == "true" {
			return "submit"
		}
		return "draft"
	case ActionPause:
		if call.Get("pause_collection[behavior]") != "" {
			return "pause"
		}
		return "resume"
	}
	return ""
}
