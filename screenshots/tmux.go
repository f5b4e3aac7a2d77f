package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// stepTimeout bounds the wait for a step's text.
const stepTimeout = 30 * time.Second

// capture runs sc in a private tmux server and returns the final pane:
// with colour escapes when colour is set, plain text otherwise.
func capture(bin, tmp string, sc Scene, colour bool) (string, error) {
	sock := "paydesk-shot-" + sc.Name + "-" + strconv.Itoa(os.Getpid())
	conf := filepath.Join(tmp, "tmux.conf")
	if err := os.WriteFile(conf, []byte("set -g default-terminal xterm-256color\nset -g status off\nset -g remain-on-exit on\n"), 0o644); err != nil {
		return "", err
	}
	tmux := func(args ...string) (string, error) {
		out, err := exec.Command("tmux", append([]string{"-L", sock, "-f", conf}, args...)...).CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("tmux %s: %v: %s", args[0], err, out)
		}
		return string(out), nil
	}
	defer exec.Command("tmux", "-L", sock, "kill-server").Run()
	cmd := "env COLORTERM=truecolor LANG=C.UTF-8 TZ=UTC " + bin + " " + strings.Join(demoArgs, " ")
	if _, err := tmux("new-session", "-d", "-s", "shot", "-x", strconv.Itoa(sc.Cols), "-y", strconv.Itoa(sc.Rows), cmd); err != nil {
		return "", err
	}
	plain := func() (string, error) { return tmux("capture-pane", "-p", "-t", "shot") }
	waitFor := func(want string) error {
		deadline := time.Now().Add(stepTimeout)
		for {
			frame, err := plain()
			if err != nil {
				return err
			}
			if strings.Contains(frame, want) {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("%q not on screen after %s; screen was:\n%s", want, stepTimeout, frame)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// The console is up when the header is drawn.
	if err := waitFor("paydesk │"); err != nil {
		return "", err
	}
	for _, st := range sc.Steps {
		keys := []string{"send-keys", "-t", "shot", st.Key}
		if st.Text != "" {
			keys = []string{"send-keys", "-t", "shot", "-l", st.Text}
		}
		if _, err := tmux(keys...); err != nil {
			return "", err
		}
		time.Sleep(150 * time.Millisecond) // one key at a time, as a person types
		if st.Want != "" {
			if err := waitFor(st.Want); err != nil {
				return "", err
			}
		}
	}
	if err := waitFor(sc.Want); err != nil {
		return "", err
	}
	time.Sleep(300 * time.Millisecond) // let the last frame settle
	if colour {
		return tmux("capture-pane", "-e", "-p", "-t", "shot")
	}
	return plain()
}
