package storage

import (
	"os"
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
