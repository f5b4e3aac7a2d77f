package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/stripe/stripe-go/v76"
)

// ProrationBehaviors are the proration_behavior values Stripe accepts.
var ProrationBehaviors = []string{"create_prorations", "always_invoice", "none"}

// PlanChangeRequest is what the plan-change form collects.
type PlanChangeRequest struct {
	Subscription string
	// Item is the subscription item to change; empty picks the
	// subscription's only item.
	Item string
	// Price is the new price (price_…); empty keeps the current one.
	Price string
	// Quantity is the new quantity; 0 keeps the current one.
	Quantity int64
	// Proration is one of ProrationBehaviors; empty means
	// create_prorations (Stripe's default).
	Proration string
}

// PreviewLine is one line of the upcoming invoice (Amount in minor units;
// PeriodEnd unix seconds, 0 when Stripe gives none).
type PreviewLine struct {
	Description string
	Amount      int64
	Proration   bool
	PeriodEnd   int64
}

// Preview is the upcoming invoice with a plan change applied.
type Preview struct {
	Currency string
	Lines    []PreviewLine
	// Prorations is the sum of the proration lines (negative: credit).
	Prorations int64
	// Total and AmountDue of the next invoice (after the balance).
	Total     int64
	AmountDue int64
	// NextPaymentAttempt is when Stripe will bill it (zero: unknown).
	NextPaymentAttempt time.Time
	// ProrationDate is the instant the prorations are computed at; the
	// change is sent with the same date, so it bills what was previewed.
	ProrationDate int64
}

// planChange is a validated plan-change request with its fresh state.
type planChange struct {
	sub       map[string]any
	item      string
	oldPrice  map[string]any
	oldQty    int64
	newPrice  map[string]any
	qty       int64
	proration string
	at        int64
}

func (a *Actions) planChange(ctx context.Context, p *Plan, req PlanChangeRequest) (*planChange, error) {
	sub, err := a.fresh(ctx, p, storage.KindSubscription, p.Target, "status", "items.data.0.price.id", "items.data.0.quantity", "cancel_at_period_end")
	if err != nil {
		return nil, err
	}
	switch st := str(sub, "status"); st {
	case "active", "trialing", "past_due":
	default:
		return nil, fieldErrf("subscription", "subscription %s is %s: only active, trialing or past-due plans can change", p.Target, st)
	}
	items, _ := lookupPath(sub, "items.data").([]any)
	pc := &planChange{sub: sub, proration: strings.TrimSpace(req.Proration), at: a.stripeNow().Unix()}
	for _, it := range items {
		m, _ := it.(map[string]any)
		if m == nil {
			continue
		}
		if req.Item == "" && len(items) == 1 || str(m, "id") == req.Item {
			pc.item, pc.oldQty = str(m, "id"), num(m, "quantity")
			pc.oldPrice, _ = m["price"].(map[string]any)
		}
	}
	if pc.item == "" {
		if req.Item == "" {
			return nil, fieldErrf("item", "the subscription has %d items: choose which one to change", len(items))
		}
		return nil, fieldErrf("item", "item %s is not on subscription %s", req.Item, p.Target)
	}
	if pc.proration == "" {
		pc.proration = "create_prorations"
	}
	if !contains(ProrationBehaviors, pc.proration) {
		return nil, fieldErrf("proration", "choose one of %s", strings.Join(ProrationBehaviors, ", "))
	}
	if req.Quantity < 0 {
		return nil, fieldErr("quantity", "the quantity cannot be negative")
	}
	pc.qty = req.Quantity
	if pc.qty == 0 {
		pc.qty = pc.oldQty
	}
	pc.newPrice = pc.oldPrice
	if id := strings.TrimSpace(req.Price); id != "" && id != str(pc.oldPrice, "id") {
		raw, err := a.c.Retrieve(ctx, storage.KindPrice, id)
		if err != nil {
			if IsNotFound(err) {
				return nil, fieldErrf("price", "price %s does not exist on Stripe", id)
			}
			return nil, fmt.Errorf("prepare plan change: read price %s: %w", id, err)
		}
		// A fresh map: unmarshalling into the old price's map would
		// overwrite the current plan with the new one.
		pc.newPrice = nil
		if err := json.Unmarshal(raw, &pc.newPrice); err != nil {
			return nil, fmt.Errorf("prepare plan change: decode price %s: %w", id, err)
		}
		switch {
		case !boolean(pc.newPrice, "active"):
			return nil, fieldErrf("price", "price %s is archived", id)
		case lookupPath(pc.newPrice, "recurring") == nil:
			return nil, fieldErrf("price", "price %s is one-time, not recurring", id)
		case str(pc.newPrice, "currency") != str(sub, "currency") && str(sub, "currency") != "":
			return nil, fieldErrf("price", "the subscription bills in %s: choose a %s price", strings.ToUpper(str(sub, "currency")), strings.ToUpper(str(sub, "currency")))
		}
	}
	if str(pc.newPrice, "id") == str(pc.oldPrice, "id") && pc.qty == pc.oldQty {
		return nil, fieldErr("price", "choose another price or quantity: this is the current plan")
	}
	return pc, nil
}

// itemParams is the one item change, shared by the preview and the update.
func (pc *planChange) itemParams() []*stripe.SubscriptionItemsParams {
	return []*stripe.SubscriptionItemsParams{{ID: stripe.String(pc.item),
		Price: stripe.String(str(pc.newPrice, "id")), Quantity: stripe.Int64(pc.qty)}}
}

func (a *Actions) preview(ctx context.Context, target string, pc *planChange) (Preview, error) {
	params := &stripe.InvoiceUpcomingParams{Subscription: stripe.String(target),
		SubscriptionItems: pc.itemParams(), SubscriptionProrationBehavior: stripe.String(pc.proration),
		SubscriptionProrationDate: stripe.Int64(pc.at)}
	raw, err := a.get(ctx, "/v1/invoices/upcoming", formOf(params))
	if err != nil {
		return Preview{}, fmt.Errorf("preview plan change: %w", err)
	}
	var inv map[string]any
	if err := json.Unmarshal(raw, &inv); err != nil {
		return Preview{}, fmt.Errorf("preview plan change: decode: %w", err)
	}
	pv := Preview{Currency: str(inv, "currency"), Total: num(inv, "total"), AmountDue: num(inv, "amount_due"), ProrationDate: pc.at}
	if t := num(inv, "next_payment_attempt"); t > 0 {
		pv.NextPaymentAttempt = time.Unix(t, 0)
	}
	lines, _ := lookupPath(inv, "lines.data").([]any)
	for _, l := range lines {
		m, _ := l.(map[string]any)
		if m == nil {
			continue
		}
		pl := PreviewLine{Description: str(m, "description"), Amount: num(m, "amount"), Proration: boolean(m, "proration"),
			PeriodEnd: num(m, "period.end")}
		if pl.Proration {
			pv.Prorations += pl.Amount
		}
		pv.Lines = append(pv.Lines, pl)
	}
	return pv, nil
}

// PreviewPlanChange shows the upcoming invoice as it would be with the
// change (proration lines and amount due), without changing anything.
func (a *Actions) PreviewPlanChange(ctx context.Context, op Operator, req PlanChangeRequest) (Preview, error) {
	p, err := a.begin(op, ActionPlanChange, strings.TrimSpace(req.Subscription), "subscription")
	if err != nil {
		return Preview{}, err
	}
	pc, err := a.planChange(ctx, p, req)
	if err != nil {
		return Preview{}, err
	}
	return a.preview(ctx, p.Target, pc)
}

// PreparePlanChange validates a price/quantity swap on one subscription
// item, previews its prorations through the upcoming invoice and plans the
// update with the same proration date.
func (a *Actions) PreparePlanChange(ctx context.Context, op Operator, req PlanChangeRequest) (_ *Plan, err error) {
	defer a.auditPrepare(op, ActionPlanChange, req.Subscription, &err)
	p, err := a.start(ctx, op, ActionPlanChange, strings.TrimSpace(req.Subscription), "subscription")
	if err != nil || p.Earlier {
		return p, err
	}
	pc, err := a.planChange(ctx, p, req)
	if err != nil {
		return nil, err
	}
	pv, err := a.preview(ctx, p.Target, pc)
	if err != nil {
		var se *stripe.Error
		if errors.As(err, &se) && se.Code == "invoice_upcoming_none" {
			p.Warnings = append(p.Warnings, "Stripe has no upcoming invoice for this subscription: no proration preview")
		} else {
			return nil, err
		}
	}
	params := &stripe.SubscriptionParams{Items: pc.itemParams(), ProrationBehavior: stripe.String(pc.proration),
		ProrationDate: stripe.Int64(pc.at)}
	params.AddMetadata(IntentMetadataKey, p.Key)
	p.Call = Call{Method: "POST", Path: stripe.FormatURLPath("/v1/subscriptions/%s", p.Target), Form: formOf(params),
		Before: []Param{{"items[0][price]", str(pc.oldPrice, "id")}, {"items[0][quantity]", strconv.FormatInt(pc.oldQty, 10)}}}
	cur := str(pc.sub, "currency")
	if cur == "" {
		cur = str(pc.newPrice, "currency")
	}
	p.Amount, p.Currency = pv.Prorations, cur
	resets := a.priceInterval(pc.oldPrice) != a.priceInterval(pc.newPrice) && str(pc.sub, "status") != "trialing"
	if resets {
		p.Warnings = append(p.Warnings, "the billing interval changes: Stripe resets the billing cycle and invoices now")
	}
	p.Warnings = append(p.Warnings, pausedWarning(pc.sub, resets || pc.proration == "always_invoice")...)
	p.Lines = []Line{
		{"Subscription", p.Target + " (" + str(pc.sub, "status") + ")"},
		a.customerLine(str(pc.sub, "customer"), "", ""),
		{"Now", a.priceWords(pc.oldPrice, pc.oldQty)},
		{"New", a.priceWords(pc.newPrice, pc.qty)},
		{"Proration", pc.proration},
	}
	for _, l := range pv.Lines {
		if l.Proration {
			p.Lines = append(p.Lines, Line{"  " + l.Description, money.Format(l.Amount, pv.Currency)})
		}
	}
	switch {
	case pv.Currency != "" && resets:
		// The preview is the invoice the update makes at once (the old
		// plan's unused time credited, the new one billed for a whole
		// period); what follows is the new plan every period.
		p.Lines = append(p.Lines, Line{"Prorations", money.Format(pv.Prorations, pv.Currency)})
		if pv.Total != pv.AmountDue {
			p.Lines = append(p.Lines, Line{"Invoice total", money.Format(pv.Total, pv.Currency)})
		}
		p.Lines = append(p.Lines, Line{"Invoiced now", money.Format(pv.AmountDue, pv.Currency)})
		then := a.priceWords(pc.newPrice, pc.qty)
		if end := pv.nextPeriodStart(); end > 0 {
			then += " from " + time.Unix(end, 0).UTC().Format(time.DateOnly)
		}
		p.Lines = append(p.Lines, Line{"Then", then})
	case pv.Currency != "" && pc.proration == "always_invoice":
		// The prorations are invoiced at once; the preview's next invoice
		// holds them too, so its total would count them twice: the next
		// invoice is the new plan's period.
		then := a.priceWords(pc.newPrice, pc.qty)
		if end := pv.nextPeriodStart(); end > 0 {
			then += " on " + time.Unix(end, 0).UTC().Format(time.DateOnly)
		}
		p.Lines = append(p.Lines,
			Line{"Prorations", money.Format(pv.Prorations, pv.Currency)},
			Line{"Invoiced now", money.Format(pv.Prorations, pv.Currency) + " (the prorations, on an invoice of their own)"},
			Line{"Next invoice", then})
	case pv.Currency != "":
		p.Lines = append(p.Lines,
			Line{"Prorations", money.Format(pv.Prorations, pv.Currency)},
			Line{"Next invoice total", money.Format(pv.Total, pv.Currency)},
			Line{"Next invoice amount due", money.Format(pv.AmountDue, pv.Currency)})
	}
	p.Lines = append(p.Lines, Line{"Idempotency key", p.Key})
	return a.finish(p)
}

// nextPeriodStart is when the period the preview bills ends (unix
// seconds; 0 when its lines give none): the end of its latest
// non-proration line.
func (pv Preview) nextPeriodStart() int64 {
	var end int64
	for _, l := range pv.Lines {
		if !l.Proration {
			end = max(end, l.PeriodEnd)
		}
	}
	return end
}

func (a *Actions) priceInterval(pr map[string]any) string {
	n := num(pr, "recurring.interval_count")
	if n <= 1 {
		return str(pr, "recurring.interval")
	}
	return fmt.Sprintf("%d %ss", n, str(pr, "recurring.interval"))
}

// priceWords: "2 × Pro at $29.00 / month".
func (a *Actions) priceWords(pr map[string]any, qty int64) string {
	name := str(pr, "nickname")
	if prod := str(pr, "product"); prod != "" {
		if n := a.productName(prod); n != "" {
			name = n
		}
	}
	if name == "" {
		name = str(pr, "id")
	}
	return fmt.Sprintf("%d × %s at %s / %s (%s)", qty, name, money.Format(num(pr, "unit_amount"), str(pr, "currency")),
		a.priceInterval(pr), str(pr, "id"))
}

func (a *Actions) productName(id string) string {
	env, err := a.store.Get(storage.KindProduct, id)
	if err != nil {
		return ""
	}
	return env.Name
}

// PriceOption is one entry of the plan picker.
type PriceOption struct {
	ID          string
	Product     string
	ProductName string
	Nickname    string
	Interval    string // "month", "year", "3 months"
	Currency    string
	UnitAmount  int64
	// Label is what the picker shows: "Pro — $29.00 / month".
	Label string
}

// PriceOptions lists the active recurring prices in the cache, newest
// first, optionally only those in currency (a subscription cannot change
// currency), at most limit of them.
func (a *Actions) PriceOptions(currency string, limit int) ([]PriceOption, error) {
	if limit <= 0 {
		limit = 200
	}
	currency = strings.ToLower(currency)
	var out []PriceOption
	q := storage.Query{Kind: storage.KindPrice, Limit: 100}
	for len(out) < limit {
		page, err := a.store.List(q)
		if err != nil {
			return nil, fmt.Errorf("price options: %w", err)
		}
		for _, env := range page.Items {
			var pr map[string]any
			if err := json.Unmarshal(env.Raw, &pr); err != nil {
				continue
			}
			if !boolean(pr, "active") || lookupPath(pr, "recurring") == nil {
				continue
			}
			if currency != "" && str(pr, "currency") != currency {
				continue
			}
			o := PriceOption{ID: str(pr, "id"), Product: str(pr, "product"), Nickname: str(pr, "nickname"),
				Interval: a.priceInterval(pr), Currency: str(pr, "currency"), UnitAmount: num(pr, "unit_amount")}
			o.ProductName = a.productName(o.Product)
			name := o.ProductName
			if name == "" {
				name = o.Product
			}
			if o.Nickname != "" {
				name += " (" + o.Nickname + ")"
			}
			o.Label = fmt.Sprintf("%s — %s / %s", name, money.Format(o.UnitAmount, o.Currency), o.Interval)
			out = append(out, o)
			if len(out) == limit {
				break
			}
		}
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	return out, nil
}
