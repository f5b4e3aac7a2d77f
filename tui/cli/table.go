package cli

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paydesk/paydesk/billing/money"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/format"
)

// column is one column of the ls table.
type column struct {
	title string
	right bool
	cell  func(e storage.Envelope) string
}

// columnsFor picks the columns that say something for kind.
func columnsFor(kind storage.Kind, loc *time.Location) []column {
	id := column{title: "ID", cell: func(e storage.Envelope) string { return e.ID }}
	created := column{title: "CREATED", cell: func(e storage.Envelope) string { return format.Stamp(e.Created, loc) }}
	status := column{title: "STATUS", cell: func(e storage.Envelope) string { return dash(e.Status) }}
	customer := column{title: "CUSTOMER", cell: func(e storage.Envelope) string { return dash(e.Customer) }}
	amount := column{title: "AMOUNT", right: true, cell: func(e storage.Envelope) string {
		if e.Currency == "" && e.Amount == 0 {
			return "-"
		}
		return money.Format(e.Amount, e.Currency)
	}}
	stale := column{title: "", cell: func(e storage.Envelope) string {
		if e.Stale {
			return "stale"
		}
		return ""
	}}
	switch kind {
	case storage.KindCustomer:
		return []column{id,
			{title: "EMAIL", cell: func(e storage.Envelope) string { return dash(e.Email) }},
			{title: "NAME", cell: func(e storage.Envelope) string { return dash(e.Name) }},
			{title: "BALANCE", right: true, cell: func(e storage.Envelope) string { return money.Format(e.Amount, e.Currency) }},
			created, stale}
	case storage.KindProduct:
		return []column{id, {title: "NAME", cell: func(e storage.Envelope) string { return dash(e.Name) }}, status, created, stale}
	case storage.KindInvoice:
		return []column{id, {title: "NUMBER", cell: func(e storage.Envelope) string { return dash(e.Number) }}, status, customer, amount, created, stale}
	case storage.KindRefund, storage.KindDispute:
		return []column{id, status, {title: "CHARGE", cell: func(e storage.Envelope) string { return dash(e.Charge) }}, amount, created, stale}
	default:
		return []column{id, status, customer, amount, created, stale}
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Table writes items as an aligned table with a header row: text columns
// left-aligned, money right-aligned, two spaces between columns.
func Table(w io.Writer, kind storage.Kind, items []storage.Envelope, loc *time.Location) error {
	cols := columnsFor(kind, loc)
	cells := make([][]string, len(items))
	widths := make([]int, len(cols))
	for i, c := range cols {
		widths[i] = utf8.RuneCountInString(c.title)
	}
	for r, e := range items {
		cells[r] = make([]string, len(cols))
		for i, c := range cols {
			v := sanitize(c.cell(e))
			cells[r][i] = v
			widths[i] = max(widths[i], utf8.RuneCountInString(v))
		}
	}
	var b strings.Builder
	writeRow := func(vals []string) {
		line := make([]string, len(cols))
		for i, v := range vals {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(v))
			if cols[i].right {
				line[i] = pad + v
			} else {
				line[i] = v + pad
			}
		}
		b.WriteString(strings.TrimRight(strings.Join(line, "  "), " "))
		b.WriteByte('\n')
	}
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	writeRow(titles)
	for _, row := range cells {
		writeRow(row)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	return nil
}

// sanitize keeps a cell on one line and free of terminal escapes that
// customer-supplied text (names, descriptions) could carry.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}
