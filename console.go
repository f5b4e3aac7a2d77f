package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui"
	"github.com/paydesk/paydesk/tui/actions"
	"github.com/paydesk/paydesk/tui/common"
)

// consoleDeps is what the console needs from the process.
type consoleDeps struct {
	store      *storage.Store
	client     *billing.Client
	webhookURL string         // where a webhook receiver feeding the cache listens ("": none)
	clocks     billing.Clocks // unset clocks are the process's wall clock
	offline    bool
	readOnly   bool
	account    string
	mode       string
	logger     *slog.Logger
}

// runConsole runs the full-screen console until the operator quits.
func runConsole(ctx context.Context, d consoleDeps) error {
	if err := registerActions(); err != nil {
		return err
	}
	m := consoleModel(d)
	defer m.Close()
	_, err := tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithContext(ctx)).Run()
	if err != nil && ctx.Err() != nil {
		return nil // interrupted: a clean exit
	}
	if err != nil {
		return fmt.Errorf("console: %w", err)
	}
	return nil
}

// consoleModel builds the root model of the local console over d.
func consoleModel(d consoleDeps) *tui.Model {
	op := localOperator(d.readOnly)
	clocks := billing.Clocks{Account: orWall(d.clocks.Account), Wall: orWall(d.clocks.Wall)}
	c := common.New(common.Common{
		Store: d.store, Billing: d.client, Receiving: d.webhookURL != "", WebhookURL: d.webhookURL, Clocks: clocks,
		// Money actions run on the wall clock: plan lifetimes and Stripe's
		// 24 h idempotency-key expiry are real time, even in the demo whose
		// account clock runs ahead.
		Money:    moneyActions(d.client, d.store, clocks),
		Operator: op, ReadOnly: d.readOnly, Offline: d.offline,
		Account: d.account, Mode: d.mode, Logger: d.logger,
	})
	return tui.New(c)
}

// localOperator is the person at this terminal: user@host, an admin unless
// the session is read-only.
func localOperator(readOnly bool) billing.Operator {
	name := envOr("USER", "operator")
	if host, err := os.Hostname(); err == nil {
		name += "@" + host
	}
	role := billing.RoleAdmin
	if readOnly {
		role = billing.RoleViewer
	}
	return billing.Operator{Name: name, Role: role}
}

// registerActions puts the money-action forms on the detail pages once,
// before the first session starts.
var registerActions = sync.OnceValue(func() error {
	if err := actions.Register(common.DefaultActions); err != nil {
		return fmt.Errorf("register money actions: %w", err)
	}
	return nil
})

// moneyActions is the process's money-action layer, nil without a client.
func moneyActions(client *billing.Client, store *storage.Store, clocks billing.Clocks) *billing.Actions {
	if client == nil {
		return nil
	}
	return billing.NewActions(client, store, clocks)
}

// withMoney opens the cache and the Stripe client a money command needs.
func withMoney(c config, holder string, fn func(*billing.Actions) error) error {
	client, err := newClient(c, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		return err
	}
	if client == nil {
		return fmt.Errorf("%w: money actions need STRIPE_SECRET_KEY (a restricted key needs write access to the resource)", billing.ErrNoKey)
	}
	path, err := c.dbPath()
	if err != nil {
		return err
	}
	store, err := openStore(path, holder, false, billing.Clocks{})
	if err != nil {
		return err
	}
	defer store.Close()
	return fn(billing.NewActions(client, store, billing.Clocks{Wall: wallClock}))
}
