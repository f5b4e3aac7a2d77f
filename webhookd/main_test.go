package webhookd

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"testing"
	"time"

	"github.com/paydesk/paydesk/storage"
)

// Environment switch: the crash test re-executes this test binary as a
// child that only serves webhookd on loopback over the file in crashDBEnv.
const (
	crashChildEnv = "PAYDESK_WEBHOOKD_CRASH_CHILD"
	crashDBEnv    = "PAYDESK_WEBHOOKD_CRASH_DB"
)

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) == "1" {
		if err := runCrashChild(os.Getenv(crashDBEnv)); err != nil {
			fmt.Fprintln(os.Stderr, "crash child:", err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runCrashChild serves until killed, printing "LISTEN <addr>" once ready.
func runCrashChild(path string) error {
	st, err := storage.Open(path, StoreOptions(storage.Options{Holder: "crash child", Timeout: 5 * time.Second}))
	if err != nil {
		return err
	}
	srv, err := New(Config{Now: testNow, Secrets: []string{testSecret}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, st)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Printf("LISTEN %s\n", ln.Addr())
	return srv.Serve(ln)
}
