// Package rofile makes a file read-only for a test the way an operator's
// system would: mode 0400 for an ordinary user; for root, whom modes do
// not stop, the immutable attribute (chattr +i), which also makes writes
// through descriptors opened before it fail.
package rofile

import (
	"os"
	"os/exec"
	"testing"
)

// Set makes path read-only until the test ends. openFDs says the test
// needs writes through already open descriptors to fail too; that needs
// chattr (root), and the test is skipped where it cannot be had.
func Set(t *testing.T, path string, openFDs bool) {
	t.Helper()
	if os.Geteuid() != 0 {
		if openFDs {
			t.Skip("making writes through open descriptors fail needs chattr +i (root)")
		}
		if err := os.Chmod(path, 0o400); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(path, 0o600) })
		return
	}
	if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
		t.Skipf("chattr +i %s: %v %s", path, err, out)
	}
	t.Cleanup(func() { Clear(path) })
}

// Clear makes path writable again.
func Clear(path string) {
	if os.Geteuid() == 0 {
		_ = exec.Command("chattr", "-i", path).Run()
		return
	}
	_ = os.Chmod(path, 0o600)
}
