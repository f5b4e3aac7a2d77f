package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
)

// AccountInfo is what GET /v1/account tells about the key's account.
type AccountInfo struct {
	ID       string
	Name     string
	Currency string
	// Created is when the account was created, unix seconds (0: not told).
	Created int64
}

// Account fetches the key's account. The sandbox and some restricted keys
// cannot answer it: callers treat its error as "unknown", not fatal.
func (c *Client) Account(ctx context.Context) (AccountInfo, error) {
	var out rawResource
	if err := c.call(http.MethodGet, "/v1/account", &stripe.Params{Context: ctx}, &out); err != nil {
		return AccountInfo{}, fmt.Errorf("account: %w", err)
	}
	var a struct {
		ID              string `json:"id"`
		DefaultCurrency string `json:"default_currency"`
		Created         int64  `json:"created"`
		BusinessProfile struct {
			Name string `json:"name"`
		} `json:"business_profile"`
		Settings struct {
			Dashboard struct {
				DisplayName string `json:"display_name"`
			} `json:"dashboard"`
		} `json:"settings"`
	}
	if out.LastResponse == nil {
		return AccountInfo{}, fmt.Errorf("account: empty response")
	}
	if err := json.Unmarshal(out.LastResponse.RawJSON, &a); err != nil {
		return AccountInfo{}, fmt.Errorf("account: decode: %w", err)
	}
	name := a.Settings.Dashboard.DisplayName
	if name == "" {
		name = a.BusinessProfile.Name
	}
	return AccountInfo{ID: a.ID, Name: name, Currency: a.DefaultCurrency, Created: a.Created}, nil
}

// recordAccount stores the account's mode and, when Stripe tells, its id.
// Only an unreachable Stripe or a rejected key stops the backfill here.
// It returns the account's creation time (0 when unknown).
func (c *Client) recordAccount(ctx context.Context, store *storage.Store, mode string) (int64, error) {
	acc, err := store.Account()
	if err != nil {
		return 0, err
	}
	if mode == "" {
		mode = string(c.mode)
	}
	acc.Mode = mode
	info, err := c.Account(ctx)
	switch {
	case err == nil:
		acc.ID, acc.Name, acc.Currency = info.ID, info.Name, info.Currency
	case IsOffline(err) || (IsAuth(err) && !isForbidden(err)):
		return 0, err
	default:
		c.log.Warn("account details unavailable; continuing without them", "reason", describe(err))
	}
	return info.Created, store.SetAccount(acc)
}

// finishAccount stamps the end of a backfill that completed every kind.
func (c *Client) finishAccount(store *storage.Store) error {
	acc, err := store.Account()
	if err != nil {
		return err
	}
	now := c.now().Unix()
	acc.LastSyncAt = now
	complete := true
	for _, k := range storage.Kinds {
		cur, err := store.Cursor(k)
		if err != nil {
			return err
		}
		complete = complete && cur.Done
	}
	if complete {
		acc.BackfillEnd = now
	}
	return store.SetAccount(acc)
}

func isForbidden(err error) bool {
	se := stripeError(err)
	return se != nil && se.HTTPStatusCode == http.StatusForbidden
}
