package main

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Rendering of a captured pane: aha turns the SGR colours into HTML, and
// headless chromium takes a picture of that page at exactly the size of
// the terminal's cells.
const (
	fontSize   = 16
	lineHeight = 1.32
	charWidth  = 0.6 // advance width of JetBrains Mono, in em
	pad        = 12
)

func renderPNG(frame string, sc Scene, tmp, out string) error {
	aha := exec.Command("aha", "--black", "--no-header")
	aha.Stdin = strings.NewReader(frame)
	body, err := aha.Output()
	if err != nil {
		return fmt.Errorf("aha: %w", err)
	}
	html := fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><style>
html,body{margin:0;background:#000;color:#e5e5e5;}
pre{margin:0;padding:%dpx;font-family:"JetBrains Mono","DejaVu Sans Mono",monospace;font-size:%dpx;line-height:%g;white-space:pre;font-variant-ligatures:none;}
</style></head><body><pre>%s</pre></body></html>`, pad, fontSize, lineHeight, body)
	page := filepath.Join(tmp, sc.Name+".html")
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		return err
	}
	w := int(math.Ceil(float64(sc.Cols)*charWidth*fontSize)) + 2*pad
	h := int(math.Ceil(float64(sc.Rows)*lineHeight*fontSize)) + 2*pad
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	chrome := exec.Command("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--force-device-scale-factor=1", "--user-data-dir="+filepath.Join(tmp, "chrome"),
		fmt.Sprintf("--window-size=%d,%d", w, h), "--screenshot="+abs, "file://"+page)
	if b, err := chrome.CombinedOutput(); err != nil {
		return fmt.Errorf("chromium: %v\n%s", err, b)
	}
	return nil
}
