package storage_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/damage"
)

// TestLargeFileHeaderScan opens every damaged copy of a small cache as if it
// were large (page-header scan at open instead of the key walk) and reads
// everything back: each copy is refused as damaged at open, or reads end
// in errors or data, never in a panic.
func TestLargeFileHeaderScan(t *testing.T) {
	defer storage.SetWalkLimit(0)()
	clean, err := damage.SmallCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	refused, opened := 0, 0
	for i, v := range append(damage.Flips(clean), damage.Truncations(clean)...) {
		path := filepath.Join(dir, "v"+string(rune('a'+i%26))+".db")
		if err := os.WriteFile(path, v.Bytes, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := storage.Open(path, storage.Options{ReadOnly: true})
		if err != nil {
			if !storage.IsDamaged(err) {
				t.Errorf("%s: %v", v.Name, err)
			}
			refused++
			continue
		}
		opened++
		for _, k := range []storage.Kind{storage.KindCustomer, storage.KindInvoice} {
			_, _ = s.List(storage.Query{Kind: k, Limit: 50})
			_, _ = s.Get(k, "cus_1")
		}
		_, _ = s.Deliveries(0, 50)
		_, _ = s.Find("in_2")
		s.Close()
	}
	if refused == 0 {
		t.Fatal("the header scan refused no damaged copy")
	}
	t.Logf("header scan: %d refused at open, %d opened and read without a panic", refused, opened)
}
