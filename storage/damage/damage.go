// Package damage makes damaged copies of a cache file for the tests that
// prove no command panics on one: each page-header byte flipped in turn,
// and the file cut at several lengths.
package damage

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"

	"github.com/paydesk/paydesk/storage"
)

// PageHeader is the size of a bbolt page header (id 8, flags 2, count 2,
// overflow 4 bytes).
const PageHeader = 16

// Variant is one damaged copy.
type Variant struct {
	Name  string
	Bytes []byte
}

// PageSize reads the page size from the first meta page of a bbolt file
// (magic, version, page size after the 16-byte page header).
func PageSize(file []byte) int {
	if len(file) < PageHeader+12 {
		return 4096
	}
	return int(binary.LittleEndian.Uint32(file[PageHeader+8:]))
}

// HighWater is the number of pages in use (the meta page with the newest
// transaction id says; pages past it hold nothing).
func HighWater(file []byte) int {
	ps := PageSize(file)
	best, hw := uint64(0), 0
	for m := 0; m < 2 && (m+1)*ps <= len(file); m++ {
		meta := file[m*ps+PageHeader:]
		pgid, txid := binary.LittleEndian.Uint64(meta[40:]), binary.LittleEndian.Uint64(meta[48:])
		if txid >= best {
			best, hw = txid, int(pgid)
		}
	}
	return min(hw, len(file)/ps)
}

// Flips returns one copy per page-header byte of every page in use, that
// byte inverted.
func Flips(file []byte) []Variant {
	ps := PageSize(file)
	var out []Variant
	for p := 0; p < HighWater(file); p++ {
		for i := 0; i < PageHeader; i++ {
			b := append([]byte(nil), file...)
			b[p*ps+i] ^= 0xff
			out = append(out, Variant{Name: fmt.Sprintf("page %d header byte %d flipped", p, i), Bytes: b})
		}
	}
	return out
}

// Truncations returns file cut at several lengths: empty, inside the first
// meta page, after each meta page, half, one page short and one byte short.
func Truncations(file []byte) []Variant {
	ps := PageSize(file)
	var out []Variant
	for _, n := range []int{0, 100, ps, 2 * ps, len(file) / 2, len(file) - ps, len(file) - 1} {
		if n < 0 || n >= len(file) {
			continue
		}
		out = append(out, Variant{Name: fmt.Sprintf("truncated to %d of %d bytes", n, len(file)), Bytes: append([]byte(nil), file[:n]...)})
	}
	return out
}

// SmallCache writes a cache with six customers, six invoices, their events
// and delivery receipts into dir and returns its bytes up to its last page
// in use (bbolt grows the file ahead of use; the rest is not the cache's).
func SmallCache(dir string) ([]byte, error) {
	db := filepath.Join(dir, "small.db")
	store, err := storage.Open(db, storage.Options{})
	if err != nil {
		return nil, err
	}
	for i := range 6 {
		for j, obj := range []string{
			fmt.Sprintf(`{"id":"cus_%d","object":"customer","created":%d,"name":"Customer %d","email":"c%d@example.test"}`, i, 1795000000+i, i, i),
			fmt.Sprintf(`{"id":"in_%d","object":"invoice","created":%d,"customer":"cus_%d","status":"open","amount_due":%d,"currency":"usd"}`, i, 1795000000+i, i, 100*i),
		} {
			ev := fmt.Sprintf(`{"id":"evt_%d_%d","object":"event","type":"x.updated","created":%d,"api_version":"2023-10-16","data":{"object":%s}}`,
				i, j, 1795000000+i, obj)
			if _, err := store.ApplyEvent([]byte(ev), &storage.Delivery{At: int64(1795000000+i) * 1e9, Source: "webhook", Status: 200}); err != nil {
				store.Close()
				return nil, err
			}
		}
	}
	if err := store.Close(); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(db)
	if err != nil {
		return nil, err
	}
	return b[:HighWater(b)*PageSize(b)], nil
}
