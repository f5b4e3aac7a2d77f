// Package sandbox is a stateful, Stripe-compatible API double that listens on
// loopback only, for paydesk's demo mode, tests and benchmarks. It is not a
// product and not a general Stripe emulator: it covers the API subset
// paydesk uses, in the 2023-10-16 shape that stripe-go v76 decodes.
//
// # Using it
//
//	sb, _ := sandbox.New(sandbox.Options{Seed: 1, Customers: 500})
//	base, _ := sb.Start() // http://127.0.0.1:PORT
//	defer sb.Close()
//	api := client.New(sb.APIKey(), sb.Backends())
//
// Backends() points both stripe-go's API backend and its Uploads backend at
// the sandbox: stripe-go sends POST /v1/files to the uploads backend, so a
// caller building its own backends must override the Uploads URL as well.
// Any "Bearer sk_test_*" or "rk_test_*" key is accepted.
//
// # Supported
//
//   - customers: list (limit, starting_after, ending_before, created[...],
//     email), retrieve, create, update (name, email, description, phone,
//     address[...], metadata, balance, currency, coupon, promotion_code,
//     invoice_settings[default_payment_method]), delete, DELETE …/discount;
//     balance transactions list/create/retrieve.
//   - coupons (a fixed catalogue: current, expired, fully redeemed) and
//     promotion codes (inactive and one-customer codes too): list,
//     retrieve, create; promotion codes update (active). Discounts on
//     customers and subscriptions emit customer.discount.*.
//   - billing-portal sessions: create (customer, return_url,
//     flow_data[type]), with billing_portal.session.created.
//   - products and prices: list/retrieve (price filters: product, active,
//     currency).
//   - subscriptions: list (status incl. all/ended, customer, price),
//     retrieve, create (items, trial_period_days, trial_end,
//     payment_behavior, cancel_at_period_end, metadata), update (items with
//     id/price/quantity/deleted, proration_behavior, proration_date,
//     cancel_at_period_end, pause_collection, trial_end (a date or now, on
//     a trialing subscription), coupon, promotion_code, metadata), cancel
//     (DELETE: pending prorations are dropped), DELETE …/discount, resume
//     (paused status). A subscription set to cancel at period end ends
//     there, its pending prorations collected first on a final invoice;
//     until then its upcoming invoice is that final one (none when nothing
//     is pending).
//   - invoices: list (customer, subscription, status), retrieve, lines,
//     upcoming (customer, subscription, subscription_items[...],
//     subscription_proration_behavior, subscription_proration_date,
//     subscription_trial_end), pay, void, mark_uncollectible, send; create a one-off draft (customer,
//     pending_invoice_items_behavior, currency, metadata), finalize, delete
//     (one-off drafts). A finalized one-off invoice is not charged on its
//     own an hour later as Stripe's auto_advance would: pay it explicitly.
//   - invoice items: create (customer, amount, currency, description,
//     metadata), list (customer, pending, invoice), retrieve.
//   - credit notes: preview, create (invoice, amount, refund_amount,
//     credit_amount, out_of_band_amount, reason, memo, metadata), void
//     (while the invoice is open), list (invoice, customer), retrieve.
//   - charges, payment intents (one per finalized invoice with an amount):
//     list/retrieve.
//   - refunds: create (charge or payment_intent, amount, reason, metadata),
//     update metadata, list, retrieve.
//   - disputes: list (created, charge, payment_intent), retrieve, update
//     (evidence[...], submit, metadata), close.
//   - files: POST /v1/files (multipart; metadata kept, bytes discarded),
//     retrieve, list.
//   - events: list (type with * wildcard, types[], created[...], cursors),
//     retrieve; webhook endpoints: create, list, retrieve, delete.
//
// Every list answers {"object":"list","data","has_more","url"}, newest
// first, with limit 1..100. expand[] works on any field holding the id of
// an object the sandbox stores (customer, subscription, invoice, charge,
// payment_intent, refund, dispute, product, price, file, balance
// transaction), including data.* paths on lists and nested paths.
// balance_transaction ids on charges and refunds are placeholders and
// cannot be expanded.
//
// Errors use Stripe's JSON and HTTP codes (400, 401, 402 card_error, 404
// resource_missing, 429 rate_limit). Every response carries a Request-Id.
// POSTs honour Idempotency-Key (replay with Idempotent-Replayed: true;
// reuse with other parameters is a 400 idempotency_error).
//
// Test payment methods: pm_card_visa and pm_card_mastercard succeed;
// pm_card_chargeDeclined (card_declined/generic_decline),
// pm_card_chargeDeclinedInsufficientFunds (insufficient_funds),
// pm_card_chargeDeclinedExpiredCard (expired_card) decline;
// pm_card_authenticationRequired leaves the payment requiring action
// (invoice.payment_action_required).
//
// Failed automatic payments follow smart retries (+3d, +5d, +7d); the
// fourth failure moves the subscription to unpaid, or cancels it when
// Options.CancelOnFinalFailure is set.
//
// # Events and webhooks
//
// Every state change emits a snapshot event (data.object, and
// data.previous_attributes for updates) stored for /v1/events (bounded by
// Options.MaxEvents) and POSTed, in order, to every endpoint registered with
// AddEndpoint or POST /v1/webhook_endpoints, signed like Stripe
// (Stripe-Signature: t=...,v1=HMAC-SHA256). Failed deliveries are retried
// with exponential backoff up to 8 attempts. Deliveries go to loopback
// addresses only. The signature timestamp uses Options.WebhookClock (wall
// time by default), not the sandbox clock, so receivers with a ±300 s
// tolerance keep accepting events after Advance.
//
// # Clock and seeding
//
// The sandbox clock is Options.Now plus the total of Advance calls; every
// created/period timestamp uses it. Seeding is deterministic for a Seed and
// a Customers count and uses no network. Objects are compact structs whose
// ids are derived from their index by a keyed bijection, and JSON is
// rendered on demand, so a million customers fit in a few GB. Seeded
// history produces no events (the event log starts empty).
//
// # Not supported
//
// Payment method objects and attaching them, sources, coupons and
// discounts, taxes, invoice items by price or quantity, draft editing,
// credit notes by line, subscription schedules, checkout, connect, search endpoints, test clocks,
// total_count on lists, and the balance transactions behind charges.
// Unknown parameters are generally ignored rather than rejected.
package sandbox
