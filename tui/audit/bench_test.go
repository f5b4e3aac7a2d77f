package audit_test

import (
	"path/filepath"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/audit"
	"github.com/paydesk/paydesk/tui/internal/actenv"
	"github.com/paydesk/paydesk/tui/internal/pagetest"
)

// BenchmarkAuditPage: one page of a 2,000-record log read from bbolt and
// drawn at 120x36 (what a key press or a refresh costs).
func BenchmarkAuditPage(b *testing.B) {
	s, err := storage.Open(filepath.Join(b.TempDir(), "cache.db"), storage.Options{Now: actenv.Clock})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for i := range 2000 {
		if _, err := s.AppendAudit(storage.AuditRecord{At: actenv.Now.Unix() + int64(i), Operator: "ada@desk", Action: "refund",
			Target: "ch_0000000000000", Amount: int64(i), Currency: "usd", Key: "pd_0123456789abcdef01234567",
			RequestID: "req_abcdefghij", Outcome: "succeeded"}); err != nil {
			b.Fatal(err)
		}
	}
	p := audit.New(pagetest.Session(s, actenv.Now))
	p.SetSize(pagetest.Width, pagetest.Height)
	p.Init()
	b.ReportAllocs()
	keys := []tea.KeyMsg{{Type: tea.KeyPgDown}, {Type: tea.KeyPgUp}}
	i := 0
	for b.Loop() {
		p.Update(keys[i%2])
		_ = p.View()
		i++
	}
}
