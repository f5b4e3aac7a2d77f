// Command screenshots regenerates the pictures of the console in this
// folder from the real program on demo data:
//
//	go run ./screenshots            # PNGs (installs nothing; needs tmux, aha, chromium)
//	go run ./screenshots -text DIR  # plain-text frames only (tmux), for tests
//
// Each scene starts `paydesk demo` with a fixed seed and a frozen clock in
// a detached tmux of a fixed size, presses its keys one at a time (waiting
// for the text each step must show), and captures the pane with its
// colours. PNGs are rendered from that capture by aha and headless
// chromium (apt-get install -y tmux aha chromium fonts-jetbrains-mono).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	text := flag.String("text", "", "write plain-text frames into this directory instead of PNGs")
	only := flag.String("only", "", "regenerate only the scene with this name")
	out := flag.String("out", "", "PNG directory (default: the screenshots folder)")
	flag.Parse()
	if err := run(*text, *only, *out); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

func run(textDir, only, outDir string) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	if outDir == "" {
		outDir = filepath.Join(root, "screenshots")
	}
	tools := []string{"tmux"}
	if textDir == "" {
		tools = append(tools, "aha", "chromium")
	}
	for _, t := range tools {
		if _, err := exec.LookPath(t); err != nil {
			return fmt.Errorf("%s not found: apt-get install -y tmux aha chromium fonts-jetbrains-mono", t)
		}
	}
	tmp, err := os.MkdirTemp("", "paydesk-shots-")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "paydesk")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = root
	if b, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("build paydesk: %v\n%s", err, b)
	}
	for _, sc := range Scenes {
		if only != "" && sc.Name != only {
			continue
		}
		frame, err := capture(bin, tmp, sc, textDir == "")
		if err != nil {
			return fmt.Errorf("scene %s: %w", sc.Name, err)
		}
		if textDir != "" {
			if err := os.WriteFile(filepath.Join(textDir, sc.Name+".txt"), []byte(frame), 0o644); err != nil {
				return fmt.Errorf("scene %s: %w", sc.Name, err)
			}
			continue
		}
		png := filepath.Join(outDir, sc.Name+".png")
		if err := renderPNG(frame, sc, tmp, png); err != nil {
			return fmt.Errorf("scene %s: %w", sc.Name, err)
		}
		fmt.Println("wrote", png)
	}
	return nil
}

// moduleRoot is the directory holding go.mod.
func moduleRoot() (string, error) {
	b, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("find module root: %w", err)
	}
	mod := strings.TrimSpace(string(b))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("run inside the paydesk module")
	}
	return filepath.Dir(mod), nil
}
