package storage

import (
	"bytes"
	"os"
	"strconv"
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

// fileResident is the file-backed memory resident in this process, bytes
// (the third field of /proc/self/statm, in pages); -1 when unknown.
func fileResident() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return -1
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return -1
	}
	pages, err := strconv.ParseInt(string(f[2]), 10, 64)
	if err != nil {
		return -1
	}
	return pages * int64(os.Getpagesize())
}
