package actions_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v76"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/internal/actenv"
)

// envelopeOf is the sandbox's current kind object id as the cache would
// hold it.
func envelopeOf(t *testing.T, e *actenv.Env, kind storage.Kind, id string) storage.Envelope {
	t.Helper()
	raw, err := json.Marshal(e.Object(kind, id))
	if err != nil {
		t.Fatal(err)
	}
	fields, err := storage.ExtractFields(raw)
	if err != nil {
		t.Fatal(err)
	}
	return storage.Envelope{Fields: fields, Raw: raw}
}

// TestConsoleOneOffAndVoidSayWhatHappensToTheCredit: `I` with a €120.00
// item for a customer holding €25.00 credit confirms "€25.00 customer
// credit will be applied · Amount due €95.00"; voiding that invoice
// confirms that the €25.00 returns to the customer's balance.
func TestConsoleOneOffAndVoidSayWhatHappensToTheCredit(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{NoWebhooks: true})
	api := e.Client.API()
	cus, err := api.Customers.New(&stripe.CustomerParams{Email: stripe.String("credit@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.CustomerBalanceTransactions.New(&stripe.CustomerBalanceTransactionParams{Customer: stripe.String(cus.ID),
		Amount: stripe.Int64(-2500), Currency: stripe.String("eur")}); err != nil {
		t.Fatal(err)
	}
	f, tm := oneOffConfirm(t, e, envelopeOf(t, e, storage.KindCustomer, cus.ID), 120, 40)
	scr := strings.Join(strings.Fields(f.Screen()), " ")
	if !strings.Contains(scr, "Total €120.00") || !strings.Contains(scr, "€25.00 customer credit will be applied · Amount due €95.00") {
		t.Fatalf("one-off confirmation:\n%s", f.Screen())
	}
	sendConfirmed(t, tm, f)
	in, err := e.Store.Intent(lastAudit(t, e, f).Key)
	if err != nil {
		t.Fatal(err)
	}
	inv := in.ResultID
	if due := actenv.Num(e.Object(storage.KindInvoice, inv), "amount_due"); due != 9500 {
		t.Fatalf("amount due %d, want 9500", due)
	}

	v := open(t, e.Session(actenv.Admin), billing.ActionInvoiceVoid, envelopeOf(t, e, storage.KindInvoice, inv))
	run(t, e, v)
	waitState(t, v, "confirm")
	scr = strings.Join(strings.Fields(v.Screen()), " ")
	if !strings.Contains(scr, "€25.00 of customer credit applied to this invoice returns to the customer's balance") {
		t.Fatalf("void confirmation:\n%s", v.Screen())
	}
}
