package resources

import (
	"encoding/json"
	"strings"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/storage/stripejson"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/format"
	"github.com/paydesk/paydesk/tui/table"
)

// NewSubscription is the subscription detail page: items and prices,
// period, status and its history from cached events, the upcoming invoice
// (Stripe's, read in the background when online; else estimated from the
// cache) and the subscription's invoices.
func NewSubscription(c *common.Common, id string) *Detail {
	d := newDetail(c, storage.KindSubscription, id, "Subscription", subscriptionBody)
	d.fetch = fetchUpcoming
	return d
}

func subscriptionBody(d *Detail, b *sections) {
	e := safeEnv(d.env)
	s := decode[subscriptionJSON](e.Raw)
	cancel := ""
	switch {
	case s.CancelAtPeriodEnd:
		cancel = d.c.Styles.Warn.Render("at period end") + " " + b.when(s.CancelAt)
	case s.CanceledAt != 0:
		cancel = b.when(s.CanceledAt)
	}
	trial := ""
	if s.TrialEnd != 0 {
		trial = format.Date(s.TrialStart, d.c.Loc) + " → " + b.when(s.TrialEnd)
	}
	paused := ""
	if s.PauseCollection != nil {
		paused = d.c.Styles.Warn.Render(billing.PauseWords(s.PauseCollection.Behavior))
		if s.PauseCollection.ResumesAt != 0 {
			paused += "; resumes " + b.when(s.PauseCollection.ResumesAt)
		}
	}
	b.heading("Subscription " + e.ID)
	b.fieldLinks = map[string]link{"Customer": {kind: storage.KindCustomer, id: e.Customer}}
	b.fields(
		"Status", b.status(e.Status),
		"Customer", customerLabel(d, e.Customer),
		"Started", b.when(s.StartDate),
		"Period", format.Date(s.CurrentPeriodStart, d.c.Loc)+" → "+b.when(s.CurrentPeriodEnd),
		"Trial", trial,
		"Cancels", cancel,
		"Ended", b.when(s.EndedAt),
		"Collection", s.CollectionMethod,
		"Paused", paused,
		"Amount", subscriptionAmount(s, e)+" per period",
		"Discount", discountLine(b, s.Discount), // replaces the customer's on its invoices
		"Cached", cacheLine(d),
	)

	b.heading("Items")
	rows := make([][]string, 0, len(s.Items.Data))
	var tiered []price
	for _, it := range s.Items.Data {
		pr := price{it.Price}
		qty := "1"
		if it.Quantity != nil {
			qty = itoa(max(*it.Quantity, 1))
		}
		if pr.Pricing() == stripejson.PricingMetered {
			qty = "use" // billed on reported usage
		}
		rows = append(rows, []string{it.ID, pr.label(), unitAmount(pr), pr.interval(), qty, pr.ID})
		if len(pr.Tiers) > 0 {
			tiered = append(tiered, pr)
		}
	}
	b.list(itemCols, rows, false, "no items")
	for _, p := range tiered {
		b.tiers(p)
	}

	b.upcomingSection(s, e)

	b.heading("Status history")
	b.statusHistory()

	invs, more := b.related(storage.KindInvoice, e.Customer, relatedRows, func(in storage.Envelope) bool { return in.Subscription == e.ID })
	b.invoiceList(invs, more, "no invoices cached for this subscription")
}

// statusHistory reads the status changes of the cached subscription events.
func (b *sections) statusHistory() {
	evs, err := b.d.c.Store.EventsFor(b.d.id, 50)
	if err != nil {
		b.line("  " + b.d.c.Styles.Bad.Render("cannot read events: "+err.Error()))
		return
	}
	var rows [][]string
	for _, ev := range evs {
		if !strings.HasPrefix(ev.Type, "customer.subscription.") {
			continue
		}
		raw, err := b.d.c.Store.Event(ev.ID)
		if err != nil {
			continue
		}
		var p struct {
			Data struct {
				Object   struct{ Status string } `json:"object"`
				Previous struct{ Status string } `json:"previous_attributes"`
			} `json:"data"`
		}
		if json.Unmarshal(raw, &p) != nil {
			continue
		}
		safetext.Walk(&p)
		from, to := p.Data.Previous.Status, p.Data.Object.Status
		change := to
		if from != "" && from != to {
			change = from + " → " + to
		}
		rows = append(rows, []string{format.Stamp(ev.Created, b.d.c.Loc), change, safetext.Line(ev.Type)})
	}
	b.list(historyCols, rows, false, "no status changes cached (the history grows with webhook events)")
}

// customerLabel names a customer from the cache: "Name <email> (cus_…)".
func customerLabel(d *Detail, id string) string {
	if id == "" {
		return "-"
	}
	id = safetext.Line(id)
	c, err := d.c.Store.Get(storage.KindCustomer, id)
	if err != nil {
		return id
	}
	c = safeEnv(c)
	label := orDash(c.Name)
	if c.Email != "" {
		label += " <" + c.Email + ">"
	}
	label += " " + d.c.Styles.Muted.Render("("+id+")")
	if c.Deleted {
		label += " " + d.c.Styles.Bad.Render("deleted in Stripe")
	}
	return label
}

var (
	itemCols = []table.Column{
		{Title: "Item", Width: 18, Priority: 2},
		{Title: "Price", Width: 16, Flex: true},
		{Title: "Unit", Width: 11, Right: true},
		{Title: "Interval", Width: 8},
		{Title: "Qty", Width: 4, Right: true},
		{Title: "Price ID", Width: 20, Priority: 1},
	}
	historyCols = []table.Column{
		{Title: "At", Width: 16},
		{Title: "Status", Width: 24, Flex: true},
		{Title: "Event", Width: 36, Priority: 1},
	}
)
