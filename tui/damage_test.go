package tui

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/damage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/fixture"
)

// quickDrive is drive with a short wait for each command: the pages under
// test load from a small cache, and timers (ticks, toasts) are dropped.
func quickDrive(m tea.Model, msgs ...tea.Msg) {
	queue := append([]tea.Msg{}, msgs...)
	for steps := 0; len(queue) > 0 && steps < 200; steps++ {
		msg := queue[0]
		queue = queue[1:]
		switch msg := msg.(type) {
		case nil:
			continue
		case tea.BatchMsg:
			for _, c := range msg {
				queue = append(queue, quickRun(c))
			}
			continue
		}
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		queue = append(queue, quickRun(cmd))
	}
}

func quickRun(c tea.Cmd) tea.Msg {
	if c == nil {
		return nil
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- c() }()
	select {
	case msg := <-ch:
		if _, quit := msg.(tea.QuitMsg); quit {
			return nil
		}
		return msg
	case <-time.After(5 * time.Millisecond):
		return nil
	}
}

// TestDamagedCacheConsole opens the console on every damaged copy of a small
// cache that storage still opens (a flipped byte on a page the tree does
// not reach, a count or overflow that still reads) and visits every view,
// the detail and JSON of a customer and an invoice, and a Webhooks delivery.
// A panic fails the test binary; the pages show errors instead.
func TestDamagedCacheConsole(t *testing.T) {
	testclock.DateFree(t)
	clean, err := damage.SmallCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	variants := append(damage.Flips(clean), damage.Truncations(clean)...)
	dir := t.TempDir()
	opened, refused := 0, 0
	for i, v := range variants {
		path := filepath.Join(dir, "v"+itoa(i)+".db")
		if err := os.WriteFile(path, v.Bytes, 0o600); err != nil {
			t.Fatal(err)
		}
		store, err := storage.Open(path, storage.Options{ReadOnly: true, Now: fixture.Clock})
		if err != nil {
			if !storage.IsDamaged(err) {
				t.Errorf("%s: open: %v", v.Name, err)
			}
			refused++
			continue
		}
		opened++
		m := New(session(&bytes.Buffer{}, func(c *common.Common) { c.Store = store }))
		quickDrive(m, quickRun(m.Init()), tea.WindowSizeMsg{Width: 100, Height: 30})
		for _, k := range []string{"1", "2", "3", "4", "5", "6", "7", "8"} {
			quickDrive(m, keyMsg(k))
			_ = m.View()
		}
		quickDrive(m, keyMsg("7"), keyMsg("enter"), keyMsg("tab"))
		_ = m.View()
		for _, o := range []common.OpenObjectMsg{{Kind: storage.KindCustomer, ID: "cus_1"}, {Kind: storage.KindInvoice, ID: "in_4"}} {
			quickDrive(m, keyMsg("1"), o)
			_ = m.View()
			quickDrive(m, keyMsg("J"))
			_ = m.View()
		}
		m.Close()
		store.Close()
	}
	t.Logf("damaged files: %d; console opened on %d, %d refused at open as damaged; 0 panics", len(variants), opened, refused)
}

func itoa(n int) string {
	return string(rune('0'+n/100%10)) + string(rune('0'+n/10%10)) + string(rune('0'+n%10))
}
