//go:build !linux

package storage

// releaseMapped is a no-op where madvise is not available.
func releaseMapped(addr uintptr, size int64) error { return nil }
