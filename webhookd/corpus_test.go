package webhookd

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteSeedCorpus regenerates testdata/fuzz from the bad-request table:
//
//	PAYDESK_WRITE_CORPUS=1 go test ./webhookd/ -run TestWriteSeedCorpus
//
// Header timestamps in the files are from generation time, so on replay they
// exercise the stale path; mode-1 seeds are re-signed at run time.
func TestWriteSeedCorpus(t *testing.T) {
	if os.Getenv("PAYDESK_WRITE_CORPUS") != "1" {
		t.Skip("set PAYDESK_WRITE_CORPUS=1 to rewrite testdata/fuzz")
	}
	write := func(target, content string) {
		dir := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("%x", sha256.Sum256([]byte(content)))[:16]
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range badRequests(testNow()) {
		if len(c.body) > 8<<10 {
			continue
		}
		var h string
		for _, v := range c.headers[SignatureHeader] {
			h = v
			write("FuzzParseSignatureHeader", fmt.Sprintf("go test fuzz v1\nstring(%q)\n", h))
		}
		write("FuzzHandler", fmt.Sprintf("go test fuzz v1\n[]byte(%q)\nstring(%q)\nuint8(0)\n", c.body, h))
		write("FuzzHandler", fmt.Sprintf("go test fuzz v1\n[]byte(%q)\nstring(%q)\nuint8(1)\n", c.body, ""))
	}
}
