package tui

import tea "github.com/charmbracelet/bubbletea"

// splitBurst returns the keys of a burst: Bubble Tea v1 delivers the runes
// it read together (fast typing, tmux send-keys, an SSH client batching
// keystrokes) as one tea.KeyMsg with several Runes, which no key binding
// matches ("jjj" is not "j"). Each rune becomes its own KeyMsg, Alt kept,
// in order. A bracketed paste (Paste set) stays whole, as does a single
// rune or any other key; for those it returns nil.
func splitBurst(msg tea.KeyMsg) []tea.KeyMsg {
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste {
		return nil
	}
	out := make([]tea.KeyMsg, len(msg.Runes))
	for i, r := range msg.Runes {
		out[i] = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}
	}
	return out
}

// handleBurst handles each key of a burst as if it had arrived alone,
// before any page sees it, and stops at a key that quits.
func (m *Model) handleBurst(keys []tea.KeyMsg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(keys))
	for _, k := range keys {
		cmds = append(cmds, m.handleKey(k))
		if m.quitting {
			break
		}
	}
	return tea.Batch(cmds...)
}
