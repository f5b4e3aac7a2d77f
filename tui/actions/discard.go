package actions

import (
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/tui/common"
)

// One rule for leaving a money action with esc, on every form: text the
// operator typed (an input or a multi-line field differing from what the
// form opened with: evidence, memos, notes, amounts) is never thrown away
// by one esc. The first esc asks, on the page and in the status line; a
// second esc in a row closes the page; any other key keeps the text: on a
// form it then acts as usual, on a confirmation it does nothing else (an
// enter or y right after an esc never sends), and esc there clears the
// confirming word typed so far. Closing before anything was sent — form, check with
// Stripe, confirmation — always says so in the status line.

// discardQuestion is what the first esc says.
const discardQuestion = "Nothing was sent to Stripe. Esc again discards what you typed; any other key keeps it."

// textValues are the free-text fields' values (huh inputs and texts), by
// field key (or position when a field has none).
func textValues(fields []huh.Field) map[string]string {
	out := map[string]string{}
	for i, fl := range fields {
		switch fl.(type) {
		case *huh.Input, *huh.Text:
			k := fl.GetKey()
			if k == "" {
				k = "#" + strconv.Itoa(i)
			}
			s, _ := fl.GetValue().(string)
			out[k] = s
		}
	}
	return out
}

// typedText reports whether a free-text field holds something other than
// what the form first opened with.
func (f *Flow) typedText() bool {
	for k, v := range textValues(f.fields) {
		if strings.TrimSpace(v) != strings.TrimSpace(f.opened[k]) {
			return true
		}
	}
	return false
}

// leave answers esc before anything was sent: asks first when typed text
// would be lost, otherwise closes the page saying nothing was sent.
func (f *Flow) leave() tea.Cmd {
	if !f.discardAsked && f.typedText() {
		f.discardAsked = true
		f.sizeForm()
		return common.Toast(common.ToastWarn, discardQuestion)
	}
	f.discardAsked = false
	said := " cancelled: nothing was sent to Stripe."
	if f.st == stConfirm && f.refused && !f.expired {
		said = " closed: Stripe refused the request, nothing changed."
	}
	return tea.Sequence(common.Pop(), common.Toast(common.ToastWarn, safetext.Line(f.form.heading())+said)) // popped before it is said
}

// Leave answers the esc the root sees on a confirmation that takes no
// typed word (the other states take every key and answer esc in onKey).
func (f *Flow) Leave() (tea.Cmd, bool) {
	if f.st != stConfirm {
		return nil, false
	}
	cmd := f.leave()
	f.mirror()
	return cmd, true
}

var _ common.Leaver = (*Flow)(nil)

// keepTyped withdraws the question after any key but esc.
func (f *Flow) keepTyped() {
	if f.discardAsked {
		f.discardAsked = false
		f.sizeForm()
	}
}

// Holding keeps an open confirmation from being left by a view key, : or
// ctrl+f: one digit typed in the wrong window threw it and its typed text
// away with no word. Esc leaves it as usual.
func (f *Flow) Holding() string {
	if f.st != stConfirm {
		return ""
	}
	send := "y sends it"
	if f.deliberate() {
		send = "its word sends it"
	}
	return "A confirmation is open: " + send + ", esc leaves it. Nothing was sent."
}

var _ common.Holder = (*Flow)(nil)
