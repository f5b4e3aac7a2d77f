package actions_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/resources"
)

// TestSmallWalkFindings: what the 80x24 walk found besides the money
// flows. A draft's page is headed "Invoice in_…" (not "Invoice -  in_…");
// the full help of an open invoice at 80 columns lists every action key
// (not "Y retry payment now  …" with the rest cut off); the ":" prompt
// names every view, coupons and promotion codes included; a dispute's
// deadline reads the same in the Disputes list and on its page.
func TestSmallWalkFindings(t *testing.T) {
	t.Parallel()
	e := actenv.New(t, actenv.Options{Customers: 150})
	draft := oneOffDraft(t, e, 1500, "")
	page := resources.Open(e.Session(actenv.Admin), storage.KindInvoice, draft.ID)
	page.SetSize(80, 24)
	page.Init()
	if v := page.View(); !strings.Contains(v, "Invoice "+draft.ID) || strings.Contains(v, "Invoice -") {
		t.Errorf("draft heading:\n%s", v)
	}

	open := e.Find(storage.KindInvoice, "open", func(m map[string]any) bool { return actenv.Str(m, "status") == "open" })
	tm := rootWith(t, e, 80, 24)
	tm.Send(common.OpenObjectMsg{ID: open.ID})
	waitFor(t, tm, "Invoice ")
	typeText(tm, "?")
	waitFor(t, tm, "Keys")
	help := final(t, tm)
	for _, want := range []string{"retry payment now", "void", "mark uncollectible", "send", "credit note", "quit"} {
		if !strings.Contains(help, want) {
			t.Errorf("80x24 help of an open invoice lacks %q:\n%s", want, help)
		}
	}

	tm = rootWith(t, e, 120, 36)
	typeText(tm, ":")
	waitFor(t, tm, "coupons promos · or a pasted id")
	_ = tm.Quit()

	tm = rootWith(t, e, 120, 36)
	typeText(tm, "4")
	waitFor(t, tm, "Disputes")
	list := final(t, tm)
	id := regexp.MustCompile(`> (dp_[0-9A-Za-z]+)`).FindStringSubmatch(list)
	if id == nil {
		t.Fatalf("no dispute listed:\n%s", list)
	}
	dp := storage.Envelope{Fields: storage.Fields{ID: id[1]}}
	detail := resources.Open(e.Session(actenv.Admin), storage.KindDispute, dp.ID)
	detail.SetSize(120, 36)
	detail.Init()
	var words string
	for _, l := range strings.Split(detail.View(), "\n") {
		if strings.Contains(l, "Due by") {
			f := strings.Fields(l) // Due by <date> <time> <words>
			if len(f) > 4 {
				words = strings.Join(f[4:], " ") // "11d left", "overdue 2d"
			}
		}
	}
	if words == "" {
		t.Fatalf("no deadline on the dispute page:\n%s", detail.View())
	}
	listed := false
	for _, l := range strings.Split(list, "\n") {
		if strings.Contains(l, dp.ID) {
			listed = true
			if !strings.Contains(l, words) {
				t.Errorf("the list says %q where the page says %q", l, words)
			}
		}
	}
	if !listed {
		t.Errorf("%s is not in the Disputes list:\n%s", dp.ID, list)
	}
}
