package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/form"

	"github.com/paydesk/paydesk/storage"
)

// searchPaths are the kinds Stripe's Search API covers
// (https://docs.stripe.com/search#supported-query-fields-for-resources).
var searchPaths = map[storage.Kind]string{
	storage.KindCustomer:      "/v1/customers/search",
	storage.KindCharge:        "/v1/charges/search",
	storage.KindInvoice:       "/v1/invoices/search",
	storage.KindSubscription:  "/v1/subscriptions/search",
	storage.KindPaymentIntent: "/v1/payment_intents/search",
}

// Search sends one query in Stripe's search query language
// (`email:"a@b.co"`, `amount:1250 AND currency:"usd"`) to the Search API of
// kind (GET /v1/<kind>/search) and returns up to limit (1-100) objects as
// the raw JSON Stripe sent, first page only. Stripe's search index lags
// writes by up to a minute; errors are wrapped call errors (ErrOffline,
// permission, invalid query).
func (c *Client) Search(ctx context.Context, kind storage.Kind, query string, limit int64) ([]json.RawMessage, error) {
	path, ok := searchPaths[kind]
	if !ok {
		return nil, fmt.Errorf("search %s: Stripe has no Search API for this kind", kind)
	}
	if limit <= 0 || limit > PageSize {
		limit = PageSize
	}
	sp := &stripe.SearchParams{Context: ctx, Query: query, Limit: stripe.Int64(limit)}
	p := sp.ToParams()
	if c.paramHook != nil {
		c.paramHook(p)
	}
	body := &form.Values{}
	form.AppendTo(body, sp)
	var page rawList
	if err := c.backend.CallRaw(http.MethodGet, path, c.key, body, p, &page); err != nil {
		return nil, fmt.Errorf("search %s: %w", kind, wrapCall(http.MethodGet, path, err))
	}
	return page.Data, nil
}

// SearchInto runs Search and writes every object found to the cache (as a
// refetch does: a copy written by a later event is kept), returning the
// cached copies in Stripe's order.
func (c *Client) SearchInto(ctx context.Context, store *storage.Store, kind storage.Kind, query string, limit int64) ([]storage.Envelope, error) {
	at := c.now().Unix()
	raws, err := c.Search(ctx, kind, query, limit)
	if err != nil {
		return nil, err
	}
	var out []storage.Envelope
	for _, raw := range raws {
		id, err := objectID(raw)
		if err != nil {
			return out, fmt.Errorf("search %s: %w", kind, err)
		}
		var cachedAt int64
		if env, err := store.Get(kind, id); err == nil {
			cachedAt = env.EventCreated
		}
		if err := c.putFetched(store, raw, at, cachedAt); err != nil {
			return out, fmt.Errorf("search %s: %w", kind, err)
		}
		env, err := store.Get(kind, id)
		if err != nil {
			return out, fmt.Errorf("search %s: %w", kind, err)
		}
		out = append(out, env)
	}
	return out, nil
}
