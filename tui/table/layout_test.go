package table

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/paydesk/paydesk/tui/common"
)

var testCols = []Column{
	{Title: "ID", Width: 18},
	{Title: "Status", Width: 12, Status: true},
	{Title: "Name", Width: 10, Flex: true, Priority: 1},
	{Title: "Amount", Width: 10, Right: true},
	{Title: "Created", Width: 10, Priority: 3},
	{Title: "Email", Width: 20, Flex: true, Priority: 2},
}

func TestLayoutDropsLowPriorityColumns(t *testing.T) {
	cases := []struct {
		width int
		want  []string
	}{
		{120, []string{"ID", "Status", "Name", "Amount", "Created", "Email"}},
		{80, []string{"ID", "Status", "Name", "Amount", "Email"}}, // Created (3) goes first
		{60, []string{"ID", "Status", "Name", "Amount"}},          // then Email (2)
		{50, []string{"ID", "Status", "Amount"}},                  // then Name (1)
		{20, []string{"ID", "Status", "Amount"}},                  // priority 0 is never dropped
	}
	for _, c := range cases {
		shown, widths := Layout(testCols, c.width, nil)
		var got []string
		total := marker
		for j, i := range shown {
			got = append(got, testCols[i].Title)
			total += widths[j]
			if j > 0 {
				total += gap
			}
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("width %d: columns %v, want %v", c.width, got, c.want)
		}
		if c.width >= 60 && total != c.width { // a flex column takes the rest
			t.Errorf("width %d: columns fill %d cells", c.width, total)
		}
	}
}

func TestFitCell(t *testing.T) {
	if got := fitCell("$1,234.56", 12, true); got != "   $1,234.56" {
		t.Errorf("right aligned: %q", got)
	}
	if got := fitCell("emma.jackson59@globex.test", 10, false); got != "emma.jack…" || ansi.StringWidth(got) != 10 {
		t.Errorf("truncated: %q", got)
	}
	if got := fitCell("Müller", 8, false); got != "Müller  " {
		t.Errorf("wide runes: %q", got)
	}
}

func TestRenderColoursStatusesUnlessNoColor(t *testing.T) {
	rows := [][]string{{"sub_1", "past_due", "Ann", "$9.00", "2026-11-01", "a@b.c"}}
	r := lipgloss.NewRenderer(&bytes.Buffer{}, termenv.WithProfile(termenv.ANSI256))
	r.SetColorProfile(termenv.ANSI256)
	coloured := Render(common.NewStyles(r), testCols, rows, 120)
	if !strings.Contains(coloured, "\x1b[") {
		t.Fatalf("no colour with an ANSI256 profile: %q", coloured)
	}
	t.Setenv("NO_COLOR", "1")
	plain := Render(common.NewStyles(lipgloss.NewRenderer(&bytes.Buffer{})), testCols, rows, 120)
	if strings.Contains(plain, "\x1b[") {
		t.Fatalf("NO_COLOR still colours: %q", plain)
	}
	if ansi.Strip(coloured) != plain {
		t.Fatalf("colour changed the layout:\n%q\n%q", ansi.Strip(coloured), plain)
	}
}

// TestLayoutShrinksFreeTextBeforeDropping: at 80 columns the Customers
// shape keeps the delinquent STATE and the balance: the email and name
// (free text) are cut to their Min first, only CREATED goes; ids and money
// are never cut while anything else can give way.
func TestLayoutShrinksFreeTextBeforeDropping(t *testing.T) {
	cols := []Column{
		{Title: "ID", Width: 18},
		{Title: "Name", Width: 16, Flex: true, Min: 10},
		{Title: "Email", Width: 22, Flex: true, Min: 12, Priority: 2},
		{Title: "Balance", Width: 16, Right: true},
		{Title: "State", Width: 10, Status: true, Priority: 1},
		{Title: "Created", Width: 10, Priority: 3},
	}
	rows := [][]string{{"cus_GukRSUbzPKzxgR", "Kenji Novak", "kenji.novak41@umbrella.test", "$69.00 credit", "delinquent", "2026-11-01"}}
	shown, widths := Layout(cols, 80, rows)
	var got []string
	for j, i := range shown {
		got = append(got, cols[i].Title)
		if cols[i].Title == "ID" && widths[j] != 18 || cols[i].Title == "Balance" && widths[j] < 13 {
			t.Errorf("%s cut to %d", cols[i].Title, widths[j])
		}
	}
	if strings.Join(got, ",") != "ID,Name,Email,Balance,State" {
		t.Errorf("80 columns show %v", got)
	}
	// an id with a Min is cut only when dropping is not enough
	idCols := []Column{{Title: "Target", Width: 18, Min: 14}, {Title: "Outcome", Width: 9}, {Title: "Key", Width: 12, Priority: 1}}
	shown, widths = Layout(idCols, 45, nil)
	if len(shown) != 3 || widths[0] != 18 {
		t.Errorf("45 columns: %v %v, want all three with the id whole", shown, widths)
	}
	shown, widths = Layout(idCols, 27, nil)
	if len(shown) != 2 || widths[0] != 14 || widths[1] != 9 {
		t.Errorf("27 columns: %v %v, want Key dropped, then the id cut to 14", shown, widths)
	}
}
