package cli

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/safetext"
)

// CSV writes items as RFC 4180 CSV (encoding/csv: a header row, CRLF line
// ends, quoted fields where needed) with the ls table's columns, then the
// ids and raw values a spreadsheet needs: customer id (where the table
// has none), amount in minor units and the currency (lowercase ISO code),
// and "stale" for copies waiting for a refetch. Text from Stripe is kept on
// one line and free of control characters.
func CSV(w io.Writer, kind storage.Kind, items []storage.Envelope, loc *time.Location) error {
	cols := columnsFor(kind, loc)
	var keep []column
	hasCustomer := false
	for _, c := range cols {
		if c.title == "" {
			continue // the table's unnamed stale marker: STALE below
		}
		if c.title == "CUSTOMER" {
			hasCustomer = true
		}
		keep = append(keep, c)
	}
	if !hasCustomer && kind != storage.KindCustomer {
		keep = append(keep, column{title: "CUSTOMER", cell: func(e storage.Envelope) string { return e.Customer }})
	}
	keep = append(keep,
		column{title: "AMOUNT_MINOR", cell: func(e storage.Envelope) string { return strconv.FormatInt(e.Amount, 10) }},
		column{title: "CURRENCY", cell: func(e storage.Envelope) string { return strings.ToLower(e.Currency) }},
		column{title: "STALE", cell: func(e storage.Envelope) string { return strconv.FormatBool(e.Stale) }},
	)
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	row := make([]string, len(keep))
	for i, c := range keep {
		row[i] = c.title
	}
	if err := cw.Write(row); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, e := range items {
		for i, c := range keep {
			v := safetext.Line(c.cell(e)) // controls escaped visibly, never cut
			if v == "-" {
				v = ""
			}
			row[i] = v
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}
