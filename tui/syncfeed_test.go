package tui

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/fixture"
)

// TestConsoleWithoutReceiverFollowsSync: a console with a key but no
// webhook secret (no receiver, header "no webhooks") redraws when its
// background sync writes the cache: a catch-up event applied straight to
// the store (billing.StoreApplier), a backfill page and a refetch of a
// stale object each change a customer's row on the open screen.
func TestConsoleWithoutReceiverFollowsSync(t *testing.T) {
	f, err := fixture.Build(fixture.Options{Seed: 11, Customers: 12, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	cus, err := f.Store.List(storage.Query{Kind: storage.KindCustomer, Limit: 3})
	if err != nil || len(cus.Items) < 3 {
		t.Fatalf("fixture customers: %v", err)
	}
	c := session(nil, func(c *common.Common) { c.Store = f.Store })
	tm := program(t, c, 120, 36)

	later := fixture.Now.Unix() + 60
	writes := []struct {
		name  string
		write func(renamed json.RawMessage) error
	}{
		{"catch-up", func(raw json.RawMessage) error {
			_, err := billing.StoreApplier{Store: f.Store, Clocks: billing.Clocks{Wall: fixture.Clock}}.ApplyEvent(
				liveEvent(t, "evt_sync_1", "customer.updated", 60, raw), storage.SourceCatchUp)
			return err
		}},
		{"backfill page", func(raw json.RawMessage) error {
			_, err := f.Store.PutPage(storage.KindCustomer, []json.RawMessage{raw}, later, storage.Cursor{})
			return err
		}},
		{"refetch", func(raw json.RawMessage) error { return f.Store.PutObject(raw, later) }},
	}
	for i, w := range writes {
		name := "Synced " + strings.ReplaceAll(w.name, " ", "")
		if err := w.write(withField(t, cus.Items[i].Raw, "name", name)); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		waitFor(t, tm, name)
	}
	v := finish(t, tm).View()
	if !strings.Contains(v, "no webhooks") {
		t.Fatalf("header should say no webhooks:\n%s", strings.SplitN(v, "\n", 2)[0])
	}
}

// TestAuditViewFollowsAnotherSessionsAction: an audit record written by
// another session (or process step) of this cache shows on an open Audit
// view without a key press: intent and audit writes are announced too.
func TestAuditViewFollowsAnotherSessionsAction(t *testing.T) {
	f, err := fixture.Build(fixture.Options{Seed: 11, Customers: 4, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	c := session(nil, func(c *common.Common) { c.Store = f.Store })
	tm := program(t, c, 120, 36)
	play(t, tm, []step{{"8", "Audit"}})
	if _, err := f.Store.AppendAudit(storage.AuditRecord{At: fixture.Now.Unix(), Operator: "bo@desk", Action: "refund",
		Target: "ch_AuditFeed01", Amount: 500, Currency: "usd", Outcome: "succeeded"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tm, "ch_AuditFeed01")
	finish(t, tm)
}
