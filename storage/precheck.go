package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// bbolt's on-disk layout, as far as precheck reads it (go.etcd.io/bbolt
// internal/common: page.go and meta.go).
const (
	boltPageHeader   = 16
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	boltFreelistFlag = 0x10
	boltNoFreelist   = ^uint64(0)
	boltMetaLen      = 64 // magic … checksum
)

// precheck reads the parts of the file that bbolt's Open reads — the two
// meta pages, the file's length and the freelist — and refuses what would
// make Open panic or fault. A panic inside Open cannot be recovered
// cleanly: the file lock and the mapping it took stay held. A file that
// does not exist, or is empty and opened for writing, is left to Open (it
// creates a new cache).
func precheck(path string, readOnly bool) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return nil // Open reports it with its own words (permissions, …)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil
	}
	size := st.Size()
	damaged := func(format string, a ...any) error {
		return &DamagedError{Path: path, Detail: fmt.Sprintf(format, a...)}
	}
	if size == 0 {
		if readOnly {
			return damaged("the file is empty")
		}
		return nil // a new cache is written into it
	}
	head := make([]byte, boltPageHeader+boltMetaLen)
	if _, err := f.ReadAt(head, 0); err != nil {
		return damaged("the file is %d bytes, shorter than its first page", size)
	}
	ps := int64(binary.LittleEndian.Uint32(head[boltPageHeader+8:]))
	metas := make([]meta, 0, 2)
	for i := int64(0); i < 2; i++ {
		b := make([]byte, boltPageHeader+boltMetaLen)
		if i == 1 && (ps < 1024 || ps > 1<<16) {
			break
		}
		if _, err := f.ReadAt(b, i*ps); err != nil {
			continue
		}
		if m, ok := readMeta(b[boltPageHeader:]); ok {
			metas = append(metas, m)
		}
	}
	if len(metas) == 0 {
		return damaged("neither meta page is valid")
	}
	m := metas[0]
	if len(metas) == 2 && metas[1].txid > m.txid {
		m = metas[1]
	}
	if m.pageSize < 1024 || m.pageSize > 1<<16 {
		return damaged("page size %d", m.pageSize)
	}
	if need := int64(m.pgid) * m.pageSize; size < need {
		return damaged("the file is %d bytes but its pages need %d: it was cut short", size, need)
	}
	if m.root < 2 || m.root >= m.pgid {
		return damaged("root page %d outside the file's %d pages", m.root, m.pgid)
	}
	free := map[uint64]bool{}
	if m.freelist != boltNoFreelist {
		if m.freelist < 2 || m.freelist >= m.pgid {
			return damaged("freelist page %d outside the file's %d pages", m.freelist, m.pgid)
		}
		if free, err = checkFreelist(f, m, damaged); err != nil {
			return err
		}
	}
	if size > walkLimit {
		return scanHeaders(f, m, free, damaged)
	}
	return nil
}

// walkLimit is the file size up to which Open reads every key of every
// bucket (verify, about 10 ms per MiB); larger files get scanHeaders, one
// 16-byte read per page, and the guard on every transaction for the rest.
var walkLimit int64 = 64 << 20

// scanHeaders checks every page in use: its header names its own place and
// a page type bbolt knows; pages on the freelist are skipped, and so are
// the continuation pages of a page that overflows.
func scanHeaders(f io.ReaderAt, m meta, free map[uint64]bool, damaged func(string, ...any) error) error {
	hdr := make([]byte, boltPageHeader)
	for id := uint64(2); id < m.pgid; {
		if free[id] {
			id++
			continue
		}
		if _, err := f.ReadAt(hdr, int64(id)*m.pageSize); err != nil {
			return damaged("page %d unreadable", id)
		}
		got, flags := binary.LittleEndian.Uint64(hdr[0:]), binary.LittleEndian.Uint16(hdr[8:])
		overflow := uint64(binary.LittleEndian.Uint32(hdr[12:]))
		switch {
		case got != id:
			return damaged("page %d says it is page %d", id, got)
		case flags != 0x01 && flags != 0x02 && flags != boltFreelistFlag:
			return damaged("page %d has unknown type %#x", id, flags)
		case id+overflow >= m.pgid:
			return damaged("page %d overflows past the file's %d pages", id, m.pgid)
		}
		id += overflow + 1
	}
	return nil
}

type meta struct {
	pageSize                   int64
	root, freelist, pgid, txid uint64
}

func readMeta(b []byte) (meta, bool) {
	if binary.LittleEndian.Uint32(b[0:]) != boltMagic || binary.LittleEndian.Uint32(b[4:]) != boltVersion {
		return meta{}, false
	}
	h := fnv.New64a()
	h.Write(b[:56])
	if h.Sum64() != binary.LittleEndian.Uint64(b[56:]) {
		return meta{}, false
	}
	return meta{pageSize: int64(binary.LittleEndian.Uint32(b[8:])), root: binary.LittleEndian.Uint64(b[16:]),
		freelist: binary.LittleEndian.Uint64(b[32:]), pgid: binary.LittleEndian.Uint64(b[40:]),
		txid: binary.LittleEndian.Uint64(b[48:])}, true
}

// checkFreelist checks the freelist page's header and that every page id
// it lists is one of the file's pages, and returns those ids.
func checkFreelist(f io.ReaderAt, m meta, damaged func(string, ...any) error) (map[uint64]bool, error) {
	hdr := make([]byte, boltPageHeader)
	if _, err := f.ReadAt(hdr, int64(m.freelist)*m.pageSize); err != nil {
		return nil, damaged("freelist page %d unreadable", m.freelist)
	}
	id, flags := binary.LittleEndian.Uint64(hdr[0:]), binary.LittleEndian.Uint16(hdr[8:])
	count, overflow := uint64(binary.LittleEndian.Uint16(hdr[10:])), uint64(binary.LittleEndian.Uint32(hdr[12:]))
	if id != m.freelist || flags != boltFreelistFlag {
		return nil, damaged("freelist page %d says it is page %d with flags %#x", m.freelist, id, flags)
	}
	if m.freelist+overflow >= m.pgid {
		return nil, damaged("freelist page %d overflows past the file's %d pages", m.freelist, m.pgid)
	}
	body := make([]byte, int64(overflow+1)*m.pageSize-boltPageHeader)
	if _, err := f.ReadAt(body, int64(m.freelist)*m.pageSize+boltPageHeader); err != nil {
		return nil, damaged("freelist page %d unreadable", m.freelist)
	}
	ids := body
	if count == 0xFFFF {
		count = binary.LittleEndian.Uint64(body)
		ids = body[8:]
	}
	if count > uint64(len(ids)/8) {
		return nil, damaged("freelist page %d lists %d pages, more than it holds", m.freelist, count)
	}
	free := make(map[uint64]bool, count)
	for i := uint64(0); i < count; i++ {
		p := binary.LittleEndian.Uint64(ids[i*8:])
		if p < 2 || p >= m.pgid {
			return nil, damaged("freelist page %d lists page %d, outside the file's %d pages", m.freelist, p, m.pgid)
		}
		free[p] = true
	}
	return free, nil
}
