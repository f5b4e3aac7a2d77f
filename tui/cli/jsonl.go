package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
)

// JSONLines writes each object's Stripe JSON compacted onto one line, so
// `paydesk ls invoice --json | jq` sees one object per line.
func JSONLines(w io.Writer, items []storage.Envelope) error {
	bw := bufio.NewWriter(w)
	var buf bytes.Buffer
	for _, e := range items {
		buf.Reset()
		if err := json.Compact(&buf, e.Raw); err != nil {
			return fmt.Errorf("json %s: %w", safetext.Line(e.ID), err)
		}
		// Still the same JSON, with C1, bidi and format characters
		// written as \u escapes so a terminal never receives them.
		line := safetext.EscapeJSON(buf.String()) + "\n"
		if _, err := bw.WriteString(line); err != nil {
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
	if !json.Valid(e.Raw) {
		return fmt.Errorf("json %s: not valid JSON", safetext.Line(e.ID))
	}
	state := "fresh"
	switch {
	case e.Deleted:
		state = "deleted in Stripe (last known details below)"
	case e.Stale:
		state = "stale (" + safetext.Line(e.StaleReason) + "): refetch with `paydesk sync` or `r` in the console"
	}
	_, err := fmt.Fprintf(w, "# %s %s · cached %s · %s\n%s\n", safetext.Line(string(e.Kind)), safetext.Line(e.ID),
		stamp(e.CachedAt), state, safetext.JSON(e.Raw))
	if err != nil {
		return fmt.Errorf("write object: %w", err)
	}
	return nil
}
