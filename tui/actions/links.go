package actions

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/tui/common"
)

// resultShower is an actionForm whose outcome carries something to show
// and copy (a link): the done page adds its lines, and its command runs
// once when the call succeeded.
type resultShower interface {
	resultLines(r billing.Result) []billing.Line
	onResult(c *common.Common, r billing.Result) tea.Cmd
}

// portalForm creates a billing-portal link for a customer: the portal's
// home (L) or straight to updating the payment method (W).
type portalForm struct {
	id, name  string
	flow      string
	returnURL string
	url       string // the link, once created
}

func newPortalForm(env storage.Envelope, flow string) *portalForm {
	var cu struct{ Name, Email string }
	_ = json.Unmarshal(env.Raw, &cu)
	name := cu.Name
	if name == "" {
		name = cu.Email
	}
	return &portalForm{id: env.ID, name: safetext.Line(name), flow: flow}
}

func (f *portalForm) heading() string {
	if f.flow == billing.PortalPaymentMethodUpdate {
		return "Update-payment-method link for " + f.id
	}
	return "Billing-portal link for " + f.id
}
func (f *portalForm) target() string                                       { return f.id }
func (f *portalForm) load(context.Context, *common.Common) (func(), error) { return nil, nil }

func (f *portalForm) info(*common.Common) []string {
	who := f.id
	if f.name != "" {
		who = f.name + " (" + f.id + ")"
	}
	return []string{who + " · the link is created on Stripe, copied to your clipboard and shown to select"}
}

func (f *portalForm) fields(c *common.Common, fe *billing.FieldError) []huh.Field {
	return []huh.Field{huh.NewInput().Key("return_url").Title("Return URL (optional)").Value(&f.returnURL).
		Placeholder("https://example.com/account").
		Description(describe(c, "where the portal's back link goes; empty: the portal settings' default", "return_url", fe))}
}

func (f *portalForm) prepare(ctx context.Context, c *common.Common) (*billing.Plan, *billing.Preview, error) {
	p, err := c.Money.PreparePortalLink(ctx, c.Operator, billing.PortalRequest{Customer: f.id, Flow: f.flow, ReturnURL: f.returnURL})
	return p, nil, err
}

// cachesNothing: a portal session is not an object paydesk caches, and
// no webhook about it changes the cache.
func (f *portalForm) cachesNothing() {}

func (f *portalForm) resultLines(billing.Result) []billing.Line {
	if f.url == "" {
		return []billing.Line{{Label: "Link", Value: "not in this answer (sent earlier): create a new one"}}
	}
	return []billing.Line{{Label: "Link", Value: f.url}, {Label: "", Value: "copied to the clipboard (OSC 52); or select it above"}}
}

func (f *portalForm) onResult(c *common.Common, r billing.Result) tea.Cmd {
	if u := billing.PortalURL(r.Raw); u != "" {
		f.url = u
		return c.CopyID(u)
	}
	return nil
}

// hostedPage shows an invoice's hosted URL and copies it (OSC 52): H on
// an invoice. It reads the cache only and sends nothing.
type hostedPage struct {
	c      *common.Common
	id     string
	url    string
	w      int
	copy   key.Binding
	back   key.Binding
	copied int
}

func openHosted(c *common.Common, env storage.Envelope) (common.Page, error) {
	var inv map[string]any
	if err := json.Unmarshal(env.Raw, &inv); err != nil {
		return nil, err
	}
	return &hostedPage{c: c, id: env.ID, url: billing.HostedInvoiceURL(inv), w: 80,
		copy: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy again")),
		back: key.NewBinding(key.WithKeys("esc", "enter"), key.WithHelp("esc", "back"))}, nil
}

func (p *hostedPage) Init() tea.Cmd {
	if p.url == "" {
		return nil
	}
	p.copied++
	return p.c.CopyID(p.url)
}

func (p *hostedPage) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, p.copy) && p.url != "":
			p.copied++
			return p, p.c.CopyID(p.url)
		case key.Matches(k, p.back):
			return p, common.Pop()
		}
	}
	return p, nil
}

func (p *hostedPage) View() string {
	s := p.c.Styles
	var b strings.Builder
	b.WriteString(s.Title.Render("Hosted invoice page of "+safetext.Line(p.id)) + "\n\n")
	if p.url == "" {
		b.WriteString("  " + s.Warn.Render("This invoice has no hosted page (a draft gets one when it is finalized).") + "\n")
		return b.String()
	}
	b.WriteString("  " + s.Muted.Render("The customer can pay or download the invoice there. Copied to the clipboard (OSC 52);") + "\n")
	b.WriteString("  " + s.Muted.Render("if your terminal ignores that, select the address below.") + "\n\n")
	b.WriteString(strings.Join(wrapLines(s.Value.Render(p.url), p.w, "  "), "\n") + "\n\n")
	b.WriteString("  " + s.Muted.Render("y copy again · esc back"))
	return b.String()
}

func (p *hostedPage) SetSize(w, _ int)          { p.w = w }
func (p *hostedPage) Title() string             { return "hosted link " + p.id }
func (p *hostedPage) ShortHelp() []key.Binding  { return []key.Binding{p.copy, p.back} }
func (p *hostedPage) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// customerSpecs are the customer-side actions with their keys: M edit,
// L portal link, W update-payment-method link, D discount (customer); T
// trial, D discount (subscription); H hosted invoice link (invoice).
func customerSpecs() []common.ActionSpec {
	form := func(build func(storage.Envelope) actionForm) func(*common.Common, storage.Envelope) (common.Page, error) {
		return flowOf(func(_ *common.Common, env storage.Envelope) (actionForm, error) { return build(env), nil })
	}
	return []common.ActionSpec{
		{Kind: storage.KindCustomer, Key: "M", Label: "edit customer", Action: billing.ActionCustomerEdit,
			Open: form(func(env storage.Envelope) actionForm { return newCustomerForm(env) })},
		{Kind: storage.KindCustomer, Key: "L", Label: "portal link", Action: billing.ActionPortalLink,
			Open: form(func(env storage.Envelope) actionForm { return newPortalForm(env, billing.PortalHome) })},
		{Kind: storage.KindCustomer, Key: "W", Label: "update-payment-method link", Action: billing.ActionPortalLink,
			Open: form(func(env storage.Envelope) actionForm { return newPortalForm(env, billing.PortalPaymentMethodUpdate) })},
		{Kind: storage.KindSubscription, Key: "T", Label: "trial (end now / extend)", Action: billing.ActionTrialEnd,
			Also: []billing.Action{billing.ActionTrialExtend},
			Open: form(func(env storage.Envelope) actionForm { return newTrialForm(env) })},
		{Kind: storage.KindCustomer, Key: "D", Label: "discount (apply / remove)", Action: billing.ActionDiscount,
			Open: form(func(env storage.Envelope) actionForm { return newDiscountForm(env) })},
		{Kind: storage.KindSubscription, Key: "D", Label: "discount (apply / remove)", Action: billing.ActionDiscount,
			Open: form(func(env storage.Envelope) actionForm { return newDiscountForm(env) })},
		{Kind: storage.KindInvoice, Key: "H", Label: "copy hosted link", Action: billing.ActionInvoiceLink, Open: openHosted},
	}
}

// Result is the outcome on the done page (zero before).
func (f *Flow) Result() billing.Result { return f.result }
