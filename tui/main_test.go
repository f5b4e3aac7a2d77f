package tui

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/fixture"
)

// fx is the seeded cache every test of this package browses (read-only;
// tests that write build their own).
var fx *fixture.Fixture

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	var err error
	fx, err = fixture.Build(fixture.Options{Seed: 7, Customers: 60})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	fx.Close()
	cleanupBench()
	os.Exit(code)
}

// session builds a Common over fx's cache with an ASCII renderer writing
// to out (where OSC 52 copies land), the fixed clock and UTC.
func session(out *bytes.Buffer, mod func(*common.Common)) *common.Common {
	if out == nil {
		out = &bytes.Buffer{}
	}
	r := lipgloss.NewRenderer(out, termenv.WithProfile(termenv.Ascii))
	r.SetColorProfile(termenv.Ascii)
	c := common.Common{
		Store: fx.Store, Clocks: billing.Clocks{Account: fixture.Clock}, Loc: testclock.Zone(), Renderer: r,
		Account: "Paydesk Demo", Mode: "demo",
		Operator: billing.Operator{Name: "test@host", Role: billing.RoleAdmin},
		Actions:  &common.Actions{},
	}
	if mod != nil {
		mod(&c)
	}
	return common.New(c)
}

// drive runs msg through m and then the commands it returns, feeding their
// messages back, synchronously. Commands of one round run side by side (as
// Bubble Tea runs them) and those that do not answer within 300 ms (cursor
// blinks, toast timers, the bus listener) are dropped, one wait a round.
func drive(m tea.Model, msgs ...tea.Msg) tea.Model {
	queue := append([]tea.Msg{}, msgs...)
	for len(queue) > 0 {
		var pending []tea.Cmd
		for len(queue) > 0 {
			msg := queue[0]
			queue = queue[1:]
			switch msg := msg.(type) {
			case nil:
				continue
			case tea.BatchMsg:
				pending = append(pending, msg...)
				continue
			}
			if reflect.TypeOf(msg).String() == "tea.sequenceMsg" {
				// A sequence's commands run in order: each answer is
				// handled before the next command starts.
				for _, c := range reflect.ValueOf(msg).Interface().([]tea.Cmd) {
					queue = append(queue, run(c))
				}
				continue
			}
			var cmd tea.Cmd
			m, cmd = m.Update(msg)
			if cmd != nil {
				pending = append(pending, cmd)
			}
		}
		queue = append(queue, runAll(pending)...)
	}
	return m
}

func run(c tea.Cmd) tea.Msg { return runAll([]tea.Cmd{c})[0] }

// runAll runs a batch's commands side by side, as Bubble Tea does, and
// gives each the same 300 ms: a batch holding a cursor blink or a toast
// timer costs one wait, not one per command. Messages keep the batch's
// order; a command that did not answer in time gives nil.
func runAll(cmds []tea.Cmd) []tea.Msg {
	out := make([]tea.Msg, len(cmds))
	chans := make([]chan tea.Msg, len(cmds))
	for i, c := range cmds {
		if c == nil {
			continue
		}
		chans[i] = make(chan tea.Msg, 1)
		go func(c tea.Cmd, ch chan tea.Msg) { ch <- c() }(c, chans[i])
	}
	deadline := time.After(300 * time.Millisecond)
	for i, ch := range chans {
		if ch == nil {
			continue
		}
		select {
		case msg := <-ch:
			if _, quit := msg.(tea.QuitMsg); !quit {
				out[i] = msg
			}
		case <-deadline:
			// Out of time: this and every later command that has not
			// answered yet are dropped, without another wait.
			for j := i; j < len(chans); j++ {
				if chans[j] == nil {
					continue
				}
				select {
				case msg := <-chans[j]:
					if _, quit := msg.(tea.QuitMsg); !quit {
						out[j] = msg
					}
				default:
				}
			}
			return out
		}
	}
	return out
}

func keys(s ...string) []tea.Msg {
	var out []tea.Msg
	for _, k := range s {
		out = append(out, keyMsg(k))
	}
	return out
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// start builds a root model at w x h and runs its Init.
func start(c *common.Common, w, h int) *Model {
	m := New(c)
	drive(m, run(m.Init()), tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

func TestEyeball(t *testing.T) {
	if os.Getenv("EYEBALL") == "" {
		t.Skip()
	}
	m := start(session(nil, nil), 120, 36)
	for _, k := range []string{"", "2", "3", "4", "5", "1", "enter"} {
		if k != "" {
			drive(m, keyMsg(k))
		}
		fmt.Println(m.View())
		fmt.Println("-----")
	}
}
