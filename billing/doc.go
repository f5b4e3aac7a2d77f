// Package billing is paydesk's only door to the Stripe API: one stripe-go
// client.API per process, a client-side rate limiter with 429 backoff, reads
// with auto-pagination, the resumable backfill of the cache, Events-API
// catch-up, refetches of stale objects and the translation of Stripe errors
// into words an operator can act on. It knows storage's API, never bbolt.
//
// # Raw JSON
//
// The cache keeps every object exactly as Stripe sent it. Pages are fetched
// through the stripe-go backend (Backend.CallRaw with stripe-go's form
// encoding, as its own iterators do, so requests get stripe-go's headers,
// API version and network retries) into rawList, a
// list type whose Data is []json.RawMessage: encoding/json copies each
// element's bytes verbatim, so no object is decoded into a typed struct and
// re-encoded (which would drop fields stripe-go v76 does not know and cost a
// second decode). The alternative, the typed iterator plus
// LastResponse.RawJSON, decodes every object twice and hands back whole
// pages that must be split again.
//
// # Requests
//
// Every request passes the token bucket in ratelimit.go (25 req/s for test
// keys, 90 for live keys unless Config.RateLimit says otherwise) inside the
// HTTP transport, so retries are paced too. A 429 is retried there with
// exponential backoff, jitter and Retry-After, because stripe-go v76 retries
// 429 only for lock_timeout.
package billing
