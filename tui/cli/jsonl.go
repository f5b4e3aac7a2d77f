package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/paydesk/paydesk/storage"
)

// JSONLines writes each object's Stripe JSON compacted onto one line, so
// `paydesk ls invoice --json | jq` sees one object per line.
func JSONLines(w io.Writer, items []storage.Envelope) error {
	bw := bufio.NewWriter(w)
	var buf bytes.Buffer
	for _, e := range items {
		buf.Reset()
		if err := json.Compact(&buf, e.Raw); err != nil {
			return fmt.Errorf("json %s: %w", e.ID, err)
		}
		buf.WriteByte('\n')
		if _, err := bw.Write(buf.Bytes()); err != nil {
			return fmt.Errorf("write json: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// Object writes one cached object. With asJSON it is the compact Stripe
// JSON on one line; otherwise a short header with what the cache knows of
// this copy, then the JSON indented.
func Object(w io.Writer, e storage.Envelope, asJSON bool, stamp func(int64) string) error {
	if asJSON {
		return JSONLines(w, []storage.Envelope{e})
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, e.Raw, "", "  "); err != nil {
		return fmt.Errorf("json %s: %w", e.ID, err)
	}
	state := "fresh"
	switch {
	case e.Deleted:
		state = "deleted in Stripe (last known details below)"
	case e.Stale:
		state = "stale (" + e.StaleReason + "): refetch with `paydesk sync` or `r` in the console"
	}
	_, err := fmt.Fprintf(w, "# %s %s · cached %s · %s\n%s\n", e.Kind, e.ID, stamp(e.CachedAt), state, pretty.String())
	if err != nil {
		return fmt.Errorf("write object: %w", err)
	}
	return nil
}
