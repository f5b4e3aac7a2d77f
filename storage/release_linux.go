package storage

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strconv"
	"sync"
	"syscall"
)

// releaseMapped advises MADV_DONTNEED on size bytes of the mapping at addr
// (the start of bbolt's mapping, page aligned).
func releaseMapped(addr uintptr, size int64) error {
	page := int64(os.Getpagesize())
	size = (size + page - 1) / page * page
	if size <= 0 {
		return nil
	}
	if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, addr, uintptr(size), syscall.MADV_DONTNEED); errno != 0 {
		return errno
	}
	return nil
}

// statm is /proc/self/statm, opened once: a backfill reads it after every
// object it writes, so one pread a look, not an open, a read and a close.
var statm = sync.OnceValue(func() *os.File {
	f, err := os.Open("/proc/self/statm")
	if err != nil {
		return nil
	}
	return f
})

// resident is this process's resident set and the file-backed part of it,
// bytes (the second and third fields of /proc/self/statm, in pages); -1,
// -1 when unknown.
func resident() (total, file int64) {
	f := statm()
	if f == nil {
		return -1, -1
	}
	var buf [128]byte
	n, err := f.ReadAt(buf[:], 0)
	if n == 0 || (err != nil && !errors.Is(err, io.EOF)) {
		return -1, -1
	}
	fields := bytes.Fields(buf[:n])
	if len(fields) < 3 {
		return -1, -1
	}
	t, err1 := strconv.ParseInt(string(fields[1]), 10, 64)
	sh, err2 := strconv.ParseInt(string(fields[2]), 10, 64)
	if err1 != nil || err2 != nil {
		return -1, -1
	}
	page := int64(os.Getpagesize())
	return t * page, sh * page
}
