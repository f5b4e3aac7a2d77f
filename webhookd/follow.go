package webhookd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
)

// FollowBacklog is how many recent matching deliveries Follow prints before
// it starts tailing.
const FollowBacklog = 20

// Follow prints the delivery log for `paydesk events --follow`: the last
// FollowBacklog deliveries that pass f, oldest first, then every new one as
// it is logged, until ctx ends (it then returns nil). Each line is read back
// from the store's log in seq order, so the output is the committed log, in
// order, without gaps or repeats even when the store's feed drops changes;
// the feed only says when to look. jsonOut prints one
// JSON object per line instead of text. Receipts hold no secret or signature,
// and the remote address is left out.
//
// The process that owns the cache must run Follow (bbolt allows one): the
// CLI runs it in the process that embeds the receiver.
func Follow(ctx context.Context, store *storage.Store, f storage.DeliveryFilter, w io.Writer, jsonOut bool) error {
	if err := f.Validate(); err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	wake, stop := store.Wake(func(c storage.Change) bool {
		return c.Op == storage.OpEvent || c.Op == storage.OpDelivery
	})
	defer stop()
	newest, err := store.Deliveries(0, 1)
	if err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	var last uint64
	if len(newest) == 1 {
		last = newest[0].Seq
		page, err := store.QueryDeliveries(storage.DeliveryQuery{DeliveryFilter: f, Before: last + 1, Limit: FollowBacklog})
		if err != nil {
			return fmt.Errorf("follow: %w", err)
		}
		slices.Reverse(page.Items)
		for _, d := range page.Items {
			if err := WriteDelivery(w, d, jsonOut); err != nil {
				return err
			}
		}
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		}
		for {
			ds, err := store.DeliveriesAfter(last, 500)
			if err != nil {
				return fmt.Errorf("follow: %w", err)
			}
			for _, d := range ds {
				last = d.Seq
				if !f.Match(d) {
					continue
				}
				if err := WriteDelivery(w, d, jsonOut); err != nil {
					return err
				}
			}
			if len(ds) < 500 {
				break
			}
		}
	}
}

// followLine is the --json shape of one delivery.
type followLine struct {
	Seq        uint64          `json:"seq"`
	At         string          `json:"at"`
	EventID    string          `json:"event_id,omitempty"`
	Type       string          `json:"type,omitempty"`
	ObjectID   string          `json:"object_id,omitempty"`
	Verdict    storage.Verdict `json:"verdict"`
	Reason     string          `json:"reason,omitempty"`
	Status     int             `json:"status,omitempty"`
	LatencyUS  int64           `json:"latency_us"`
	Source     string          `json:"source,omitempty"`
	APIVersion string          `json:"api_version,omitempty"`
}

// WriteDelivery prints one delivery as Follow does: text, or one JSON
// object per line with jsonOut.
func WriteDelivery(w io.Writer, d storage.Delivery, jsonOut bool) error {
	at := time.Unix(0, d.At).UTC()
	var err error
	if jsonOut {
		var b []byte
		b, err = json.Marshal(followLine{Seq: d.Seq, At: at.Format(time.RFC3339Nano), EventID: d.EventID, Type: d.Type,
			ObjectID: d.ObjectID, Verdict: d.Verdict, Reason: d.Reason, Status: d.Status, LatencyUS: d.LatencyUS,
			Source: d.Source, APIVersion: d.APIVersion})
		if err == nil {
			// encoding/json leaves C1, bidi and format characters as
			// they are; they are escaped so the line stays JSON and safe.
			_, err = fmt.Fprintf(w, "%s\n", safetext.EscapeJSON(string(b)))
		}
	} else {
		_, err = fmt.Fprintln(w, FormatDelivery(d))
	}
	if err != nil {
		return fmt.Errorf("follow: write: %w", err)
	}
	return nil
}

// FormatDelivery is the one-line text form of a delivery:
// time (UTC, ms), verdict, type, object id, latency, source, then the reason.
// Every field from the request passes safetext; the type and object id
// columns are padded to 40 and 28 terminal cells and cut at maxCell ("…").
func FormatDelivery(d storage.Delivery) string {
	at := time.Unix(0, d.At).UTC().Format("2006-01-02T15:04:05.000Z")
	line := fmt.Sprintf("%s  %s %s %s %8s  %s", at, cell(string(d.Verdict), 16), cell(dash(d.Type), 40),
		cell(dash(d.ObjectID), 28), (time.Duration(d.LatencyUS) * time.Microsecond).String(), safetext.Line(dash(d.Source)))
	if d.Reason != "" {
		line += "  " + safetext.Line(d.Reason)
	}
	return line
}

// maxCell caps a column of the text form, in terminal cells.
const maxCell = 64

// cell is s made safe, cut to maxCell cells and padded to at least w.
func cell(s string, w int) string {
	s = safetext.Cell(s, maxCell)
	return s + strings.Repeat(" ", max(0, w-safetext.Width(s)))
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
