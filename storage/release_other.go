//go:build !linux

package storage

// releaseMapped is a no-op where madvise is not available.
func releaseMapped(addr uintptr, size int64) error { return nil }

// resident is unknown where /proc is not.
func resident() (total, file int64) { return -1, -1 }
