package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/storage/damage"
	"github.com/paydesk/paydesk/storage/rofile"
)

// TestOfflineReadOnlyBrowsesReadOnlyFile: a cache file the user may only
// read opens for `paydesk tui --offline --read-only` (it used to fail with
// "permission denied" because the console opened it for writing), the
// console draws its customers, and the file is left byte for byte as it
// was. The ordinary console open still refuses the file, with the reason.
func TestOfflineReadOnlyBrowsesReadOnlyFile(t *testing.T) {
	clearEnv(t)
	clean, err := damage.SmallCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "readonly.db")
	if err := os.WriteFile(db, clean, 0o600); err != nil {
		t.Fatal(err)
	}
	rofile.Set(t, db, false)
	c := config{DB: db, Account: "default"}
	if _, err := ownCache(context.Background(), c, "paydesk tui", "127.0.0.1:0", true, nil); err == nil {
		t.Fatal("the file is not read-only for this test: the writable open succeeded")
	}
	deps, done, err := browseOnly(c)
	if err != nil {
		t.Fatalf("--offline --read-only on a read-only file: %v", err)
	}
	m := consoleModel(deps)
	var model tea.Model = m
	model, _ = model.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	m.Init()
	model, _ = model.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	view := model.View()
	m.Close()
	done()
	if !strings.Contains(view, "cus_3") || !strings.Contains(view, "offline") {
		t.Fatalf("read-only console does not show the cached customers offline:\n%s", view)
	}
	after, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(after, clean) {
		t.Fatal("browsing read-only changed the cache file")
	}
}
