package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/tui/resources"
	"github.com/paydesk/paydesk/tui/table"
)

// burst is what Bubble Tea v1 delivers for runes read together (fast
// typing, tmux send-keys -l, an SSH client batching keystrokes): one KeyMsg
// holding them all.
func burst(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// TestKeyBurstOpensPastedID: ":cus_…" arriving in one read opens the
// command line and types the id, so the Enter after it opens that customer,
// not the highlighted row.
func TestKeyBurstOpensPastedID(t *testing.T) {
	const id = "cus_GukRSUbzPKzxgR"
	if sel, ok := start(session(nil, nil), 120, 36).Active().(*table.Model).Selected(); !ok || sel.ID == id {
		t.Fatalf("the highlighted row is %q: pick another customer for this test", sel.ID)
	}
	tm := program(t, session(nil, nil), 120, 36)
	tm.Send(burst(":" + id))
	tm.Send(keyMsg("enter"))
	waitFor(t, tm, "Customer "+id)
	m := finish(t, tm)
	d, ok := m.Active().(*resources.Detail)
	if !ok || d.Title() != "Customer "+id {
		t.Fatalf("after the burst and enter the active page is %T %q, want Customer %s", m.Active(), m.Active().Title(), id)
	}
}

// TestKeyBurstMovesCursor: "jjj" in one read moves three rows, as three
// presses of j do.
func TestKeyBurstMovesCursor(t *testing.T) {
	one := start(session(nil, nil), 120, 36)
	drive(one, keys("j", "j", "j")...)
	want, _ := one.Active().(*table.Model).Selected()
	m := start(session(nil, nil), 120, 36)
	first, _ := m.Active().(*table.Model).Selected()
	drive(m, burst("jjj"))
	got, _ := m.Active().(*table.Model).Selected()
	if got.ID != want.ID || got.ID == first.ID {
		t.Fatalf("after a jjj burst the cursor is on %q, want %q (three rows below %q)", got.ID, want.ID, first.ID)
	}
}

// TestPasteStaysWhole: a bracketed paste is one message, never split into
// keys (its runes would otherwise act as commands: "q" quits).
func TestPasteStaysWhole(t *testing.T) {
	m := start(session(nil, nil), 120, 36)
	p := burst("qjj")
	p.Paste = true
	drive(m, p)
	if m.quitting {
		t.Fatal("a pasted q quit the console")
	}
	if splitBurst(p) != nil || splitBurst(burst("j")) != nil || len(splitBurst(burst("ab"))) != 2 {
		t.Fatal("splitBurst: pastes and single runes stay whole, bursts split")
	}
}
