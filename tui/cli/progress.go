package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
)

// Progress draws `paydesk sync`'s progress: one line per kind, rewritten in
// place on a terminal (a bar of finished kinds, the current kind's count
// and the run's rate), or one plain line per finished kind in a pipe.
type Progress struct {
	w     io.Writer
	tty   bool
	kinds []storage.Kind
	done  map[storage.Kind]bool
	last  billing.Progress
	width int
}

// NewProgress prints to w; tty says whether w is a terminal.
func NewProgress(w io.Writer, tty bool, kinds []storage.Kind) *Progress {
	return &Progress{w: w, tty: tty, kinds: kinds, done: map[storage.Kind]bool{}, width: 24}
}

// Update takes one report from billing.Backfill.
func (p *Progress) Update(pr billing.Progress) {
	p.last = pr
	if pr.Done || pr.Skipped {
		p.done[pr.Kind] = true
	}
	if p.tty {
		fmt.Fprintf(p.w, "\r\x1b[K%s", p.line(pr))
		if pr.Done || pr.Skipped {
			fmt.Fprintf(p.w, "\r\x1b[K%s\n", p.kindLine(pr))
		}
		return
	}
	if pr.Done || pr.Skipped {
		fmt.Fprintln(p.w, p.kindLine(pr))
	}
}

// line is the live status line: bar of kinds finished, rows fetched by
// this run, the rate, Stripe requests in flight and the time left (kinds
// are walked side by side, so no single kind is "current").
func (p *Progress) line(pr billing.Progress) string {
	total := max(len(p.kinds), 1)
	filled := min(len(p.done)*p.width/total, p.width)
	bar := strings.Repeat("█", filled) + strings.Repeat("░", p.width-filled)
	eta := "--"
	if pr.ETA > 0 {
		eta = pr.ETA.Round(time.Second).String()
	}
	return fmt.Sprintf("%s %d/%d kinds · %8d rows · %6.0f rows/s · %3d in flight · ETA %s · %s",
		bar, len(p.done), total, pr.Total, pr.RowsPerSec, pr.InFlight, eta, pr.Elapsed.Round(time.Second))
}

func (p *Progress) kindLine(pr billing.Progress) string {
	if pr.Skipped {
		return fmt.Sprintf("  %-28s %8d rows  (finished earlier, skipped)", pr.Kind, pr.Fetched)
	}
	return fmt.Sprintf("✓ %-28s %8d rows", pr.Kind, pr.Fetched)
}

// Finish prints the summary line.
func (p *Progress) Finish(caughtUp int) {
	fmt.Fprintf(p.w, "synced %d rows in %s (%.0f rows/s); %d events caught up\n",
		p.last.Total, p.last.Elapsed.Round(time.Millisecond), p.last.RowsPerSec, caughtUp)
}
