// Package storage is paydesk's local cache: one bbolt file that holds the
// Stripe objects staff browse, the events that wrote them, the webhook
// delivery log, money-movement intents and the audit trail. It is the only
// package that imports bbolt.
//
// Bucket tree (all under the root bucket "v1"):
//
//	v1/
//	  meta/                       schema -> u64 version; account;
//	                              last_event -> {id,created} (newest applied, any source);
//	                              catchup_mark -> {id,created} (Events-API catch-up resumes
//	                              after it; moved only by billing's catch-up and backfill
//	                              start; absent in older caches: last_event stands in until
//	                              the next applied event pins it);
//	                              cursor/<kind> -> Cursor JSON; count/<kind> -> u64
//	  objects/<kind>/             id -> envelope (header + raw Stripe JSON)
//	  idx/<kind>/created/         be64(created) | id                      -> nil
//	  idx/<kind>/amount/          be64(amount ^ signbit) | id              -> nil
//	  idx/<kind>/status/          status | 0x00 | be64(created) | id       -> nil
//	  idx/<kind>/customer/        customer id | 0x00 | be64(created) | id  -> nil
//	  idx/<kind>/search/          lowercased term | 0x00 | id              -> nil
//	                              (terms: id, email, name, invoice number; from
//	                              schema v5 also phone digits, card last4,
//	                              description and metadata values, and the
//	                              name, email and phone of the object's customer)
//	  idx/<kind>/terms/           id -> its search terms joined by 0x00 (schema v5)
//	  idx/<kind>/amount_cur/      currency | 0x00 | be64(amount ^ signbit) |
//	                              be64(created) | id -> nil
//	                              (amount per currency, for search: every kind
//	                              with an amount and a currency but customers
//	                              and products; schema v5)
//	  idx/customer/balance/       c|o | currency | 0x00 | be64(balance ^ signbit) | id -> nil
//	                              (customers with a non-zero balance; schema v2,
//	                              currency added in v4)
//	  idx/<kind>/currency_amount/ currency ("~": none) | 0x00 | be64(^(amount ^ signbit)) | id -> nil
//	                              (by currency, largest first within it, for
//	                              sorting; schema v4)
//	  idx/<kind>/status_at/       status | 0x00 | be64(status time) | id   -> nil
//	                              (invoices: paid_at, voided_at, ...; canceled
//	                              subscriptions: ended_at; schema v3; disputes
//	                              that need a response: evidence due_by, schema v5)
//	  payment_methods/            customer id -> PaymentMethods JSON (the
//	                              customer's payment methods as last read from
//	                              Stripe; schema v5)
//	  stale/                      kind | 0x00 | id -> reason
//	  latelinks/                  charge or payment intent id | 0x00 | kind | 0x00 | id -> nil
//	                              (refunds and disputes cached before the charge or payment
//	                              intent that names their customer; made on first use)
//	  events/                     event id -> raw event payload
//	  eventlog/                   be64(seq) -> event summary JSON (retention order)
//	  idx/events/customer/        customer | 0x00 | be64(created) | event id -> nil
//	  idx/events/object/          object id | 0x00 | be64(created) | event id -> nil
//	  deliveries/                 be64(seq) -> Delivery JSON
//	  intents/                    idempotency key -> Intent JSON
//	  intentlog/                  be64(seq) -> idempotency key (creation order)
//	  audit/                      be64(seq) -> AuditRecord JSON
//
// Every secondary key is built so that bbolt's byte order is the order a
// screen needs: unix times are 8-byte big-endian, so a reverse cursor walk of
// idx/<kind>/created yields newest first and a page costs O(page) reads.
//
// Ordering rule: each envelope carries the created time of the event (or the
// fetch time of the backfill page) that wrote it. An older event never
// overwrites a newer one; an event from the same second as the cached state,
// or one in another API version, marks the object stale so that billing
// refetches it when online.
//
// Values read inside a transaction are copied before the transaction ends.
package storage
