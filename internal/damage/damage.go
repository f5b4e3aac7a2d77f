// Package damage makes damaged copies of a cache file for the tests that
// prove no command panics on one: each page-header byte flipped in turn,
// and the file cut at several lengths.
package damage

import (
	"encoding/binary"
	"fmt"
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
