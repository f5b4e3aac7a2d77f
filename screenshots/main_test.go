package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestScenesRenderAsText runs every scene of the generator against the
// real program in tmux and checks the frames, without a browser, so the
// generator cannot rot while the screens change.
func TestScenesRenderAsText(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed (apt-get install -y tmux): the screenshot generator needs a terminal multiplexer")
	}
	dir := t.TempDir()
	if err := run(dir, "", ""); err != nil {
		t.Fatal(err)
	}
	for _, sc := range Scenes {
		b, err := os.ReadFile(filepath.Join(dir, sc.Name+".txt"))
		if err != nil {
			t.Fatalf("scene %s: %v", sc.Name, err)
		}
		frame := string(b)
		if !strings.Contains(frame, sc.Want) || !strings.Contains(frame, "paydesk │") {
			t.Errorf("scene %s lacks %q:\n%s", sc.Name, sc.Want, frame)
		}
		lines := strings.Split(strings.TrimRight(frame, "\n"), "\n")
		if len(lines) > sc.Rows {
			t.Errorf("scene %s: %d lines on a %d-row terminal", sc.Name, len(lines), sc.Rows)
		}
		for i, l := range lines {
			if n := utf8.RuneCountInString(l); n > sc.Cols {
				t.Errorf("scene %s line %d: %d columns on a %d-column terminal", sc.Name, i+1, n, sc.Cols)
			}
		}
		if strings.Contains(frame, "whsec_") || strings.Contains(frame, "sk_test_") {
			t.Errorf("scene %s shows a secret", sc.Name)
		}
	}
}
