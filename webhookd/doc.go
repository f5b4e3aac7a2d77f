// Package webhookd receives Stripe webhooks: it verifies each request's
// Stripe-Signature against every configured (rolling) secret with a
// two-sided timestamp tolerance, applies the event to the bbolt cache in one
// transaction that dedupes by event id and appends the delivery receipt, and
// answers 2xx only after that transaction is on disk. Every request —
// accepted, duplicate or rejected — lands in the delivery log, and the
// store announces it on its change feed (storage.Store.Subscribe). Secrets
// and signature values never reach logs, receipts or the feed.
//
// Status codes: 200 applied, duplicate, older, recorded or version-mismatched
// (a genuine event is never refused, or Stripe would retry it for days);
// 400 rejected (reason in the delivery log); 405 wrong method; 413 body over
// Config.MaxBody; 500 the cache could not commit (Stripe retries).
//
// webhookd never imports billing: main.go wires billing's Events-API
// catch-up to Server.ApplyEvent (the billing.Applier shape) and runs it with
// RunPeriodic:
//
//	secrets, err := webhookd.ParseSecrets(os.Getenv(webhookd.SecretEnv))
//	store, err := storage.Open(path, webhookd.StoreOptions(storage.Options{Holder: "paydesk serve"}))
//	srv, err := webhookd.New(webhookd.Config{Secrets: secrets, Logger: log}, store)
//	go webhookd.RunPeriodic(ctx, 5*time.Minute, syncer.CatchUp, func(err error) { log.Warn("catch-up", "err", err) })
//	err = srv.ListenAndServe(ctx)
//
// (syncer.CatchUp is billing's catch-up, given srv as its Applier.)
//
// Durability: the 200 is written only after storage.ApplyEvent returned, and
// bbolt fsyncs every commit (NoSync is never set). With StoreOptions,
// concurrent requests share commits through db.Batch with a 2 ms delay
// (see BatchDelay for the measurements behind it).
//
// A receipt's LatencyUS runs from receipt of the request to its hand-off to
// the store (the receipt is written inside the same transaction, so it
// cannot include its own commit); /metrics' paydesk_webhook_apply_seconds
// histogram measures receive to durable commit.
package webhookd
