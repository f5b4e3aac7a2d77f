// Package webhookd receives Stripe webhooks: it verifies each request's
// Stripe-Signature against every configured (rolling) secret with a
// two-sided timestamp tolerance, applies the event to the bbolt cache in one
// transaction that dedupes by event id and appends the delivery receipt, and
// answers 2xx only after that transaction is on disk. Every request —
// accepted, duplicate or rejected — lands in the delivery log and on the
// live Bus. Secrets and signature values never reach logs, receipts or the
// bus.
//
// Status codes: 200 applied, duplicate, older, recorded or version-mismatched
// (a genuine event is never refused, or Stripe would retry it for days);
// 400 rejected (reason in the delivery log); 405 wrong method; 413 body over
// Config.MaxBody; 500 the cache could not commit (Stripe retries).
//
// webhookd never imports billing: main.go wires billing's Events-API
// catch-up to Server.ApplyEvent (the billing.Applier shape) and runs it with
// RunPeriodic.
package webhookd
