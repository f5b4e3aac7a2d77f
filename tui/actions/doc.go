// Package actions is the console side of paydesk's money actions: one page
// per action that collects the operator's values in a huh form, prepares
// the call with billing (re-reading the target from Stripe), shows the
// confirmation exactly as billing planned it, sends it once and shows the
// outcome.
//
// Every page is a Flow through the same states:
//
//	loading -> form -> preparing -> confirm (-> confirm again) -> executing -> done
//	             ^__________ FieldError: the message on its field, values kept
//
// The plan prepared for the confirmation is the one executed: a second
// y while it is in flight is ignored, and a y after a network
// failure re-sends the same plan, so the same idempotency key (billing
// writes the intent before the call). The session's role is re-checked
// with Common.AuthorizeNow right before Execute.
//
// Keys on the detail pages (Specs): R refund (charge, payment intent),
// C adjust credit, M edit, L portal link, W update-payment-method link,
// D discount (customer), P change plan, X cancel, Z pause/resume
// collection, T trial, D discount (subscription), Y retry payment now,
// V void, U mark uncollectible, S send, H copy hosted link (invoice),
// E evidence (dispute). On a
// confirmation: y sends (Enter never does: common.SendKey), or the typed
// word and enter for an irreversible one; e goes back to the form, esc
// cancels.
//
// main wires it once:
//
//	actions.Register(common.DefaultActions)  // keys on the detail pages
//
// and sets Common.Money (billing.NewActions) in every session.
package actions
