package actions

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/paydesk/paydesk/billing"
)

// Multi-line fields (memos, comments, the prose fields of dispute evidence:
// the texts billing.CheckText accepts line breaks in) are huh texts;
// every other field is one line. A paste keeps the operator's text as it
// is or is refused whole, saying why:
//   - in a multi-line field CR LF and a lone CR (what terminals send for a
//     line break) become LF, as alt+enter would type; LF stays LF; any other
//     control character is refused, TAB included (the text area would turn
//     it into spaces);
//   - in a one-line field a line break or a TAB is refused (the input would
//     turn it into a space).

// multiLine builds a multi-line field of three lines bound to v. The
// external editor (ctrl+e) is off: over SSH it would run on the server.
func multiLine(key, title string, v *string, limit int, desc string) *huh.Text {
	return huh.NewText().Key(key).Title(title).Value(v).CharLimit(limit).Lines(3).Placeholder("several lines: alt+enter or ctrl+j starts a new one").
		ExternalEditor(false).Description(desc)
}

// pasted is the paste msg as the focused field receives it, or an error
// naming what refused it.
func pasted(msg tea.KeyMsg, multi bool) (tea.KeyMsg, error) {
	s := string(msg.Runes)
	if multi {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	if err := billing.CheckText("paste", "The pasted text", s, multi); err != nil {
		return msg, err
	}
	if i := strings.IndexRune(s, '\t'); i >= 0 {
		return msg, fmt.Errorf("The pasted text contains %s at character %d", billing.RuneName('\t'), len([]rune(s[:i]))+1)
	}
	msg.Runes = []rune(s)
	return msg, nil
}

// focusedMultiLine reports whether the form's focused field is multi-line.
func (f *Flow) focusedMultiLine() bool {
	if f.huh == nil {
		return false
	}
	_, ok := f.huh.GetFocusedField().(*huh.Text)
	return ok
}
