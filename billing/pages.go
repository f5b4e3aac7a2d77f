package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"

	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/form"
)

// PageSize is the largest page Stripe serves.
const PageSize = 100

// rawList is one list page with its objects left as the bytes Stripe sent.
type rawList struct {
	stripe.APIResource
	HasMore bool              `json:"has_more"`
	Data    []json.RawMessage `json:"data"`
}

// rawResource receives one object; its bytes are in LastResponse.RawJSON.
type rawResource struct {
	stripe.APIResource
}

// ListOptions selects one page (or, for ListAll, a starting point).
type ListOptions struct {
	Kind storage.Kind // a cached kind or KindEvent
	// Customer is required for KindBalanceTransaction.
	Customer string
	// After continues after this id (Stripe's starting_after); Before
	// returns the page just newer than this id (ending_before). One at most.
	After, Before string
	// Limit per page, 1-100; 0 means 100.
	Limit int64
	// CreatedGTE keeps objects created at or after this unix time (0: all).
	CreatedGTE int64
	// CreatedLTE keeps objects created at or before this unix time (0: all).
	CreatedLTE int64
}

// Page is one page of raw objects, newest first as Stripe lists them.
type Page struct {
	Data    []json.RawMessage
	HasMore bool
}

// ListPage fetches one page.
func (c *Client) ListPage(ctx context.Context, o ListOptions) (Page, error) {
	res, err := resourceOf(o.Kind)
	if err != nil {
		return Page{}, err
	}
	path, err := res.listPath(o.Customer)
	if err != nil {
		return Page{}, err
	}
	if o.After != "" && o.Before != "" {
		return Page{}, fmt.Errorf("list %s: both After and Before set", o.Kind)
	}
	p := res.params()
	lp := p.GetListParams()
	lp.Context = ctx
	limit := o.Limit
	if limit <= 0 || limit > PageSize {
		limit = PageSize
	}
	lp.Limit = stripe.Int64(limit)
	if o.After != "" {
		lp.StartingAfter = stripe.String(o.After)
	}
	if o.Before != "" {
		lp.EndingBefore = stripe.String(o.Before)
	}
	if o.CreatedGTE > 0 {
		lp.Filters.AddFilter("created", "gte", fmt.Sprint(o.CreatedGTE))
	}
	if o.CreatedLTE > 0 {
		lp.Filters.AddFilter("created", "lte", fmt.Sprint(o.CreatedLTE))
	}
	var page rawList
	if err := c.call(http.MethodGet, path, p, &page); err != nil {
		return Page{}, fmt.Errorf("list %s: %w", o.Kind, err)
	}
	return Page{Data: page.Data, HasMore: page.HasMore}, nil
}

// ListAll walks every page after o.After (auto-pagination), yielding raw
// objects in Stripe's order. It stops at the first error, which it yields.
func (c *Client) ListAll(ctx context.Context, o ListOptions) iter.Seq2[json.RawMessage, error] {
	return func(yield func(json.RawMessage, error) bool) {
		o.Before = ""
		for {
			page, err := c.ListPage(ctx, o)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, raw := range page.Data {
				if !yield(raw, nil) {
					return
				}
			}
			if !page.HasMore || len(page.Data) == 0 {
				return
			}
			last, err := objectID(page.Data[len(page.Data)-1])
			if err != nil {
				yield(nil, fmt.Errorf("list %s: %w", o.Kind, err))
				return
			}
			o.After = last
		}
	}
}

// Retrieve fetches one object of a cached kind (or an event) as raw JSON.
// Customer balance transactions need their customer: use
// RetrieveBalanceTransaction.
func (c *Client) Retrieve(ctx context.Context, kind storage.Kind, id string) (json.RawMessage, error) {
	return c.retrieve(ctx, kind, "", id)
}

// RetrieveBalanceTransaction fetches one customer balance transaction.
func (c *Client) RetrieveBalanceTransaction(ctx context.Context, customer, id string) (json.RawMessage, error) {
	return c.retrieve(ctx, storage.KindBalanceTransaction, customer, id)
}

func (c *Client) retrieve(ctx context.Context, kind storage.Kind, customer, id string) (json.RawMessage, error) {
	res, err := resourceOf(kind)
	if err != nil {
		return nil, err
	}
	path, err := res.itemPath(customer, id)
	if err != nil {
		return nil, err
	}
	var out rawResource
	if err := c.call(http.MethodGet, path, &stripe.Params{Context: ctx}, &out); err != nil {
		return nil, fmt.Errorf("retrieve %s %s: %w", kind, id, err)
	}
	if out.LastResponse == nil || len(out.LastResponse.RawJSON) == 0 {
		return nil, fmt.Errorf("retrieve %s %s: empty response", kind, id)
	}
	return json.RawMessage(out.LastResponse.RawJSON), nil
}

// call sends one request through the stripe-go backend.
func (c *Client) call(method, path string, p stripe.ParamsContainer, v stripe.LastResponseSetter) error {
	if c.paramHook != nil {
		c.paramHook(p)
	}
	var err error
	if lp, ok := p.(stripe.ListParamsContainer); ok {
		// List params are encoded the way stripe-go's own iterators do
		// (Backend.Call expects a Params-shaped struct with Metadata).
		body := &form.Values{}
		form.AppendTo(body, p)
		err = c.backend.CallRaw(method, path, c.key, body, lp.GetListParams().ToParams(), v)
	} else {
		err = c.backend.Call(method, path, c.key, p, v)
	}
	if err != nil {
		return wrapCall(method, path, err)
	}
	return nil
}

// objectID reads the id of a raw object.
func objectID(raw json.RawMessage) (string, error) {
	var o struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		return "", fmt.Errorf("decode object id: %w", err)
	}
	if o.ID == "" {
		return "", fmt.Errorf("object without id")
	}
	return o.ID, nil
}
