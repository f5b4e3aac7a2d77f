package actions

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/tui/common"
)

// Timeouts of the calls a flow makes.
const (
	loadTimeout    = 30 * time.Second
	prepareTimeout = 45 * time.Second
	// executeTimeout covers uploads and stripe-go's own retries; a call
	// cut short stays pending and is re-sent with its key.
	executeTimeout = 90 * time.Second
)

// state is where a flow stands.
type state int

const (
	stLoading state = iota
	stForm
	stPreparing
	stConfirm
	stExecuting
	stDone
)

// Flow is the page of one money action: form, confirmation, result.
type Flow struct {
	c    *common.Common
	form actionForm

	st      state
	huh     *huh.Form
	fe      *billing.FieldError
	errText string // a failure shown on the form or the confirmation
	// onField: the form shows fe under its field, so the page's own
	// lines do not repeat it.
	onField bool

	plan    *billing.Plan
	preview *billing.Preview
	// typed is what the operator typed on the confirmation of an
	// irreversible plan: it is sent only once that is the plan's
	// ConfirmWord, so no quick double Enter can send it.
	typed string
	// refused: Stripe refused the plan; sending it again would only
	// replay the refusal, so y does nothing until the form changes.
	refused bool
	// expired: the refusal is paydesk's own (the confirmation outlived
	// billing.PlanTTL): nothing reached Stripe.
	expired bool
	// sent counts Execute calls started by this page (tests and the
	// double-Enter guard read it).
	sent int

	result billing.Result
	// earlier words an earlier request of this action on this target
	// that Stripe shows applied: the page is done, nothing was sent.
	earlier string
	webhook string // type of the event that updated the cache after success
	// early is the type of an event about the target that arrived while
	// the call was on its way: Stripe can deliver the webhook before its
	// answer to the request reaches the console.
	early string

	// moving: a key moved (or may have moved) the form's focus and huh's
	// message doing it is on its way; held are the keys that came
	// meanwhile (focusmove.go).
	moving bool
	held   []tea.KeyMsg

	// fields are the form's fields as last built; opened the free-text
	// values the form first opened with; discardAsked: esc asked whether
	// to discard typed text (discard.go).
	fields       []huh.Field
	opened       map[string]string
	discardAsked bool

	// scroll is the first plan line shown when the confirmation is taller
	// than the page (the prompt under it always shows).
	scroll int

	spin spinner.Model
	w, h int
	keys flowKeys

	// seen mirrors the state and the focused field for other goroutines
	// (tests wait on it while the program runs).
	seen atomic.Pointer[seen]
}

type seen struct{ state, field, view string }

type flowKeys struct {
	// Confirm sends a confirmation (common.SendKey: y, never Enter);
	// SendWord sends an irreversible one once its word is typed.
	Confirm, SendWord, Edit, Cancel, Close key.Binding
}

var (
	_ common.Page          = (*Flow)(nil)
	_ common.InputCapturer = (*Flow)(nil)
	_ common.Interruptible = (*Flow)(nil)
)

func newFlow(c *common.Common, f actionForm) *Flow {
	sp := spinner.New(spinner.WithSpinner(spinner.Line))
	sp.Style = c.Styles.Info
	return &Flow{c: c, form: f, spin: sp, w: 80, h: 24, keys: flowKeys{
		Confirm:  common.SendKey("send to Stripe"),
		SendWord: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send (after the word)")),
		Edit:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Close:    key.NewBinding(key.WithKeys("enter", "esc"), key.WithHelp("enter", "close")),
	}}
}

// Messages of the flow's commands.
type (
	loadedMsg struct {
		flow  *Flow
		apply func()
		err   error
	}
	preparedMsg struct {
		flow    *Flow
		plan    *billing.Plan
		preview *billing.Preview
		err     error
	}
	executedMsg struct {
		flow   *Flow
		plan   *billing.Plan
		result billing.Result
		err    error
	}
)

// Init reads what the form needs, or builds the form at once.
func (f *Flow) Init() tea.Cmd {
	c := f.c
	form := f.form
	f.st = stLoading
	f.mirror()
	return tea.Batch(f.spin.Tick, func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
		defer cancel()
		apply, err := form.load(ctx, c)
		return loadedMsg{flow: f, apply: apply, err: err}
	})
}

// Title is the header breadcrumb.
func (f *Flow) Title() string { return f.form.heading() }

func (f *Flow) stateName() string {
	return [...]string{"loading", "form", "preparing", "confirm", "executing", "done"}[f.st]
}

// State names where the flow stands ("loading", "form", "preparing",
// "confirm", "executing", "done"); safe to call from any goroutine.
func (f *Flow) State() string {
	if s := f.seen.Load(); s != nil {
		return s.state
	}
	return "loading"
}

// Focused is the key of the focused form field ("amount", "reason", ...),
// "" outside the form; safe to call from any goroutine.
func (f *Flow) Focused() string {
	if s := f.seen.Load(); s != nil {
		return s.field
	}
	return ""
}

// Screen is the page as last drawn after an update; safe to call from
// any goroutine.
func (f *Flow) Screen() string {
	if s := f.seen.Load(); s != nil {
		return s.view
	}
	return ""
}

func (f *Flow) mirror() {
	s := &seen{state: f.stateName(), view: f.View()}
	if f.st == stForm && f.huh != nil {
		if fl := f.huh.GetFocusedField(); fl != nil {
			s.field = fl.GetKey()
		}
	}
	f.seen.Store(s)
}

// Plan is the plan on the confirmation (nil before).
func (f *Flow) Plan() *billing.Plan { return f.plan }

// Sent counts the Execute calls this page started.
func (f *Flow) Sent() int { return f.sent }

// CapturingInput: a focused form field takes every key (q and 1-8 type
// into it), and so does the page while Stripe is being called, so that
// the outcome is not left unseen, and while the word confirming an
// irreversible plan is typed.
func (f *Flow) CapturingInput() bool {
	switch f.st {
	case stForm, stLoading, stPreparing, stExecuting:
		return true
	case stConfirm:
		return f.deliberate()
	}
	return false
}

// Interrupt answers a ctrl+c (or q where it is not typed into a field): a
// form or a confirmation not yet sent is
// cancelled (the page closes, nothing reaches Stripe) and a request on its
// way is waited for; the root's next ctrl+c quits. A done page holds
// nothing: ctrl+c quits at once.
func (f *Flow) Interrupt() (tea.Cmd, bool) {
	switch f.st {
	case stDone:
		return nil, false
	case stExecuting:
		return common.Toast(common.ToastWarn, "Sending to Stripe: wait for the answer. ctrl+c again quits (the request stays pending in Audit (8))."), true
	}
	// In sequence: the page is gone before the status line says so (a
	// batch ran them in either order).
	return tea.Sequence(common.Pop(), common.Toast(common.ToastWarn,
		safetext.Line(f.form.heading())+" cancelled: nothing was sent to Stripe. Press it again to quit.")), true
}

// deliberate reports whether the confirmation asks for a typed word.
func (f *Flow) deliberate() bool {
	return f.plan != nil && !f.refused && f.plan.ConfirmWord() != ""
}

// typeWord handles a key on a confirmation that asks for a typed word;
// done is false for keys it leaves to the confirmation (enter, esc, and
// e on an empty word to edit).
func (f *Flow) typeWord(msg tea.KeyMsg) (cmd tea.Cmd, done bool) {
	switch msg.Type {
	case tea.KeyRunes:
		if f.typed == "" && msg.String() == "e" {
			return nil, false
		}
		f.typed += string(msg.Runes)
		return nil, true
	case tea.KeySpace:
		f.typed += " "
		return nil, true
	case tea.KeyBackspace:
		if r := []rune(f.typed); len(r) > 0 {
			f.typed = string(r[:len(r)-1])
		}
		return nil, true
	}
	return nil, false
}

// SetSize fits the form below the page's own lines.
func (f *Flow) SetSize(w, h int) {
	f.w, f.h = w, h
	f.sizeForm()
}

func (f *Flow) sizeForm() {
	if f.huh == nil {
		return
	}
	f.huh.Update(tea.WindowSizeMsg{Width: max(20, f.w-2), Height: max(3, f.h-f.headHeight()-1)})
}

// Update runs the state machine.
func (f *Flow) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	cmd := f.update(msg)
	f.mirror()
	return f, cmd
}

func (f *Flow) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if f.st == stLoading || f.st == stPreparing || f.st == stExecuting {
			var cmd tea.Cmd
			f.spin, cmd = f.spin.Update(msg)
			return cmd
		}
		return nil
	case loadedMsg:
		if msg.flow != f {
			return nil
		}
		if msg.err != nil {
			f.errText = billing.ExplainAction(msg.err)
			if fe, ok := billing.AsFieldError(msg.err); ok {
				f.fe = fe
			}
		} else if msg.apply != nil {
			msg.apply()
		}
		return f.toForm()
	case preparedMsg:
		if msg.flow != f {
			return nil
		}
		return f.onPrepared(msg)
	case executedMsg:
		if msg.flow != f {
			return nil
		}
		return f.onExecuted(msg)
	case common.LiveMsg:
		if f.st == stExecuting && f.early == "" && msg.Touches("", f.form.target()) {
			f.early = cmp.Or(msg.Change.Result.Type, "a reload")
		}
		if f.st == stDone && f.webhook == "" && f.result.State == storage.IntentSucceeded &&
			(msg.Touches("", f.form.target()) || (f.result.ResultID != "" && msg.Touches("", f.result.ResultID))) {
			f.webhook = msg.Change.Result.Type
			if f.webhook == "" {
				f.webhook = "a reload"
			}
		}
		return nil
	case settledMsg:
		if msg.flow != f {
			return nil
		}
		return f.settle()
	case tea.KeyMsg:
		if f.hold(msg) {
			return nil
		}
		return f.onKey(msg)
	}
	if f.st == stForm && f.huh != nil {
		return f.updateForm(msg)
	}
	return nil
}

func (f *Flow) onKey(msg tea.KeyMsg) tea.Cmd {
	if msg.Type != tea.KeyEsc && f.discardAsked {
		f.keepTyped()
		if f.st == stConfirm {
			// After an esc on a confirmation the next key only keeps the
			// typed text: an enter or y pressed in the same breath must not
			// send what esc set out to cancel.
			return nil
		}
	}
	switch f.st {
	case stForm:
		if msg.Type == tea.KeyEsc {
			return f.leave()
		}
		if msg.Paste {
			// The text inputs drop control characters from a paste without
			// a word, and the rest would reach Stripe altered: a paste
			// that carries one is refused whole, and says why; line breaks
			// are kept in multi-line fields (multiline.go).
			p, err := pasted(msg, f.focusedMultiLine())
			if err != nil {
				what, _, _ := strings.Cut(billing.ExplainAction(err), ":") // "The pasted text contains U+001B (escape) at character 6"
				return common.Toast(common.ToastError, what+": nothing was pasted")
			}
			msg = p
		}
		cmd := f.updateForm(msg)
		if movesFocus(msg) && f.st == stForm {
			return f.afterMove(cmd)
		}
		return cmd
	case stLoading, stPreparing:
		if msg.Type == tea.KeyEsc {
			return f.leave()
		}
	case stConfirm:
		if msg.Type == tea.KeyEsc {
			// Also on a confirmation that takes every key for its typed
			// word: esc leaves it whatever was typed, nothing is sent, and
			// the word typed so far is cleared, so no later enter sends.
			f.typed = ""
			return f.leave()
		}
		if f.scrollConfirm(msg) {
			return nil
		}
		word := f.deliberate()
		if word {
			if cmd, done := f.typeWord(msg); done {
				return cmd
			}
		}
		switch {
		case word && key.Matches(msg, f.keys.SendWord):
			return f.confirm()
		case !word && key.Matches(msg, f.keys.Confirm):
			return f.confirm()
		case !word && msg.Type == tea.KeyEnter:
			// Enter never sends (common.SendKey): it may be one of a
			// burst typed for the form.
			if !f.refused && f.errText == "" {
				f.errText = common.EnterDoesNotSend
			}
			return nil
		case key.Matches(msg, f.keys.Edit):
			f.errText = ""
			if len(f.form.fields(f.c, nil)) == 0 {
				// Nothing to edit: read Stripe again for a fresh plan.
				return f.startPrepare()
			}
			return f.toForm()
		}
	case stDone:
		if key.Matches(msg, f.keys.Close) {
			return common.Pop()
		}
	}
	return nil
}

// toForm (re)builds the form from the kept values, the FieldError under
// its field and the focus on it; an action without fields prepares at once.
func (f *Flow) toForm() tea.Cmd {
	fields := f.form.fields(f.c, f.fe)
	if len(fields) == 0 {
		if f.errText != "" {
			// Nothing to type and Stripe refused the request: show why.
			f.st = stConfirm
			return nil
		}
		return f.startPrepare()
	}
	form := huh.NewForm(huh.NewGroup(fields...)).
		WithTheme(formTheme(f.c.Renderer)).WithShowHelp(true).WithShowErrors(false) // errors show under their field (checked)
	form.SubmitCmd = nil
	form.CancelCmd = nil
	f.huh = form
	f.fields = fields
	if f.opened == nil {
		f.opened = textValues(fields)
	}
	f.st = stForm
	cmds := []tea.Cmd{form.Init()}
	f.onField = false
	f.sizeForm()
	if f.fe != nil {
		for i, fl := range fields {
			if fl.GetKey() == f.fe.Field {
				f.onField = true
				for range i {
					_, cmd := form.Update(huh.NextField())
					cmds = append(cmds, cmd)
				}
				break
			}
		}
	}
	return tea.Batch(cmds...)
}

func (f *Flow) updateForm(msg tea.Msg) tea.Cmd {
	m, cmd := f.huh.Update(msg)
	if hf, ok := m.(*huh.Form); ok {
		f.huh = hf
	}
	switch f.huh.State {
	case huh.StateCompleted:
		return tea.Batch(cmd, f.startPrepare())
	case huh.StateAborted:
		return common.Pop()
	}
	return cmd
}

func (f *Flow) startPrepare() tea.Cmd {
	f.st = stPreparing
	f.fe, f.errText, f.typed, f.refused, f.expired = nil, "", "", false, false
	c, form := f.c, f.form
	return tea.Batch(f.spin.Tick, func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), prepareTimeout)
		defer cancel()
		p, pv, err := form.prepare(ctx, c)
		return preparedMsg{flow: f, plan: p, preview: pv, err: err}
	})
}

func (f *Flow) onPrepared(msg preparedMsg) tea.Cmd {
	var ee *billing.EarlierError
	if errors.Is(msg.err, billing.ErrEarlierApplied) && errors.As(msg.err, &ee) {
		// A re-run after a lost answer: the earlier request went through.
		f.result, f.earlier, f.errText, f.plan = ee.Result, billing.ExplainAction(msg.err), "", nil
		f.result.Replayed = true
		f.st = stDone
		return common.Toast(common.ToastInfo, common.ActionTitle(string(ee.Result.Action))+" on "+ee.Result.Target+": the earlier request went through, nothing sent again")
	}
	if msg.err != nil {
		f.errText = billing.ExplainAction(msg.err)
		if fe, ok := billing.AsFieldError(msg.err); ok {
			f.fe = fe
		}
		f.plan = nil
		return f.toForm()
	}
	f.plan, f.preview = msg.plan, msg.preview
	f.st = stConfirm
	return nil
}

// confirm sends the plan on the confirmation, once: the page leaves the
// confirm state before the command runs, so a second y finds it
// executing and does nothing; a retry after an unknown outcome executes
// the same plan, so the same idempotency key.
func (f *Flow) confirm() tea.Cmd {
	p := f.plan
	if p == nil || f.refused {
		return nil
	}
	if w := p.ConfirmWord(); w != "" && !strings.EqualFold(strings.TrimSpace(f.typed), w) {
		f.errText = "Not sent: type " + w + " and press enter to send it."
		return nil
	}
	if err := f.c.AuthorizeNow(p.Action); err != nil {
		f.errText = "Not allowed now: " + err.Error() + ". Nothing was sent to Stripe."
		return nil
	}
	if f.c.Money == nil {
		f.errText = "money actions are not available in this session"
		return nil
	}
	f.st = stExecuting
	f.errText = ""
	f.sent++
	acts := f.c.Money
	return tea.Batch(f.spin.Tick, func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), executeTimeout)
		defer cancel()
		r, err := acts.Execute(ctx, p)
		return executedMsg{flow: f, plan: p, result: r, err: err}
	})
}

func (f *Flow) onExecuted(msg executedMsg) tea.Cmd {
	f.result = msg.result
	if msg.err == nil {
		f.st = stDone
		toast := common.Toast(common.ToastInfo, doneToast(msg.plan, msg.result))
		if f.result.State == storage.IntentSucceeded {
			f.webhook = f.early
			if rs, ok := f.form.(resultShower); ok {
				if cmd := rs.onResult(f.c, msg.result); cmd != nil {
					return cmd // its own toast ("copied …")
				}
			}
		}
		return toast
	}
	if fe, ok := billing.AsFieldError(msg.err); ok {
		// A file became unreadable between the form and the upload.
		f.fe, f.errText, f.plan = fe, billing.ExplainAction(msg.err), nil
		return f.toForm()
	}
	f.st = stConfirm
	f.typed = ""
	f.errText = billing.ExplainAction(msg.err)
	switch {
	case errors.Is(msg.err, billing.ErrOutcomeUnknown):
		f.errText += " Press y to retry now, or resolve it later in Audit (8)."
	case errors.Is(msg.err, billing.ErrPlanExpired):
		f.refused, f.expired = true, true
		f.errText += " Press e to check again."
	case errors.Is(msg.err, billing.ErrAlreadyFailed), msg.result.State == storage.IntentFailed:
		f.refused = true
		f.errText += " " + f.changeHint()
	}
	return nil
}

// changeHint says how to go on after a refusal: back to the form, or
// nothing to change for actions without fields.
func (f *Flow) changeHint() string {
	if len(f.form.fields(f.c, nil)) == 0 {
		return "There is nothing to edit; esc to close."
	}
	return "Press e to change the request, esc to close."
}

// doneToast is the status line after a send: the action's title, what
// Stripe created, the money moved and the target ("Credit note cn_… for
// €5.00 on in_… sent").
func doneToast(p *billing.Plan, r billing.Result) string {
	s := common.ActionTitle(string(p.Action))
	if r.ResultID != "" && r.ResultID != p.Target {
		s += " " + r.ResultID
	}
	if p.Amount != 0 {
		s += " for " + billing.AmountWords(p.Action, p.Amount, p.Currency) // as the confirmation words it
	}
	return s + " on " + p.Target + " sent"
}

// ShortHelp is the footer's help for the current state.
func (f *Flow) ShortHelp() []key.Binding {
	switch f.st {
	case stForm:
		return []key.Binding{
			key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab/enter", "next")),
			key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "back")),
			f.keys.Cancel}
	case stConfirm:
		if f.plan == nil {
			return []key.Binding{f.keys.Cancel}
		}
		edit := f.keys.Edit
		if len(f.form.fields(f.c, nil)) == 0 { // nothing to edit: e reads Stripe again
			edit = key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "read Stripe again"))
		}
		if f.refused { // sending would only replay the refusal
			return []key.Binding{edit, f.keys.Cancel}
		}
		if f.deliberate() {
			return []key.Binding{f.keys.SendWord, edit, f.keys.Cancel}
		}
		return []key.Binding{f.keys.Confirm, edit, f.keys.Cancel}
	case stDone:
		return []key.Binding{f.keys.Close}
	}
	return []key.Binding{f.keys.Cancel}
}

// FullHelp is the `?` help.
func (f *Flow) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }

// scrollConfirm moves a confirmation taller than the page; it reports
// whether msg was a scrolling key. Only keys that type nothing scroll, so
// a typed word is never taken for one.
func (f *Flow) scrollConfirm(msg tea.KeyMsg) bool {
	if f.plan == nil {
		return false
	}
	page := max(1, f.h/2)
	switch msg.Type {
	case tea.KeyUp:
		f.scroll--
	case tea.KeyDown:
		f.scroll++
	case tea.KeyPgUp:
		f.scroll -= page
	case tea.KeyPgDown:
		f.scroll += page
	case tea.KeyHome:
		f.scroll = 0
	case tea.KeyEnd:
		f.scroll = 1 << 20
	default:
		return false
	}
	if body, prompt := f.confirmParts(); f.h > 0 {
		f.scroll = min(max(f.scroll, 0), max(0, len(body)-max(1, f.h-len(prompt)-1)))
	}
	return true
}
