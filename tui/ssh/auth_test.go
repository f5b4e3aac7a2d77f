package ssh

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/paydesk/paydesk/billing"
)

func TestUnknownKeyRefused(t *testing.T) {
	ana := newTestKey(t, "ana@laptop")
	eve := newTestKey(t, "eve@elsewhere")
	ts := startServer(t, []string{ana.line("finance")}, nil, nil)

	c, err := ts.dial(eve)
	if err == nil {
		c.Close()
		t.Fatal("unknown key was let in")
	}
	if !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("unknown key: got %v, want an authentication failure", err)
	}
	if !strings.Contains(ts.logs.String(), eve.fingerprint()) {
		t.Errorf("refusal not logged with the key's fingerprint; log:\n%s", ts.logs.String())
	}
	// The listed key still gets in.
	c, err = ts.dial(ana)
	if err != nil {
		t.Fatalf("listed key refused: %v", err)
	}
	c.Close()
}

func TestPasswordAndKeyboardInteractiveRefused(t *testing.T) {
	ana := newTestKey(t, "ana@laptop")
	ts := startServer(t, []string{ana.line("admin")}, nil, nil)

	asked := 0
	ki := gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
		asked++
		return []string{"secret"}, nil
	})
	pwAsked := 0
	pw := gossh.PasswordCallback(func() (string, error) { pwAsked++; return "secret", nil })

	for name, auth := range map[string][]gossh.AuthMethod{
		"password":             {gossh.Password("secret")},
		"password callback":    {pw},
		"keyboard-interactive": {ki},
		"both":                 {gossh.Password("secret"), ki},
	} {
		c, err := gossh.Dial("tcp", ts.addr, ts.clientConfig(auth...))
		if err == nil {
			c.Close()
			t.Fatalf("%s: let in", name)
		}
		// The server offers public keys only, so the client has nothing
		// it can try.
		if !strings.Contains(err.Error(), "no supported methods remain") {
			t.Errorf("%s: got %v, want no supported methods", name, err)
		}
	}
	if asked != 0 || pwAsked != 0 {
		t.Errorf("server offered interactive methods: keyboard-interactive asked %d times, password %d", asked, pwAsked)
	}
}

func TestHostKeyPersisted(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "authorized_keys")
	ana := newTestKey(t, "ana@laptop")
	writeKeys(t, keys, ana.line("viewer"))
	hostKey := filepath.Join(dir, "data", "paydesk", "ssh_host_ed25519")
	cfg := Config{HostKeyPath: hostKey, AuthorizedKeysPath: keys, ConnRate: -1, RecheckInterval: -1}

	first, err := New(cfg, testFactory)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(hostKey)
	if err != nil {
		t.Fatalf("host key not written: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("host key mode %04o, want 0600", st.Mode().Perm())
	}
	if first.HostKey().Type() != gossh.KeyAlgoED25519 {
		t.Errorf("host key type %s, want ed25519", first.HostKey().Type())
	}
	_ = first.Shutdown(context.Background())

	// A second start serves the same key, as a client sees it.
	ts := startServer(t, []string{ana.line("viewer")}, nil, func(c *Config) { c.HostKeyPath = hostKey })
	if got, want := ts.HostKeyFingerprint(), first.HostKeyFingerprint(); got != want {
		t.Fatalf("second start host key %s, first %s", got, want)
	}
	var seen gossh.PublicKey
	conf := ts.clientConfig(gossh.PublicKeys(ana.signer))
	conf.HostKeyCallback = func(_ string, _ net.Addr, key gossh.PublicKey) error { seen = key; return nil }
	c, err := gossh.Dial("tcp", ts.addr, conf)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if gossh.FingerprintSHA256(seen) != first.HostKeyFingerprint() {
		t.Fatalf("client saw host key %s, want %s", gossh.FingerprintSHA256(seen), first.HostKeyFingerprint())
	}

	// A host key others can read is refused, as OpenSSH does.
	if err := os.Chmod(hostKey, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(cfg, testFactory); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("world-readable host key: got %v, want a refusal", err)
	}
}

func TestRemovedKeyRefusedOnNextConnection(t *testing.T) {
	ana := newTestKey(t, "ana@laptop")
	bob := newTestKey(t, "bob@desk")
	ts := startServer(t, []string{ana.line("finance"), bob.line("support")}, nil, nil)

	open := ts.openTerm(t, ana, "xterm-256color", 160, 10, true)
	open.waitOut("operator=ana@laptop")

	writeKeys(t, ts.keysPath, bob.line("support"))

	if c, err := ts.dial(ana); err == nil {
		c.Close()
		t.Fatal("removed key still let in")
	}
	c, err := ts.dial(bob)
	if err != nil {
		t.Fatalf("remaining key refused: %v", err)
	}
	c.Close()

	// The removed key's open session cannot act, and the recheck closes it.
	if err := ts.Authorize(Identity{Name: ana.comment, Fingerprint: ana.fingerprint(), Role: billing.RoleFinance}, billing.ActionRefund); !errors.Is(err, ErrKeyNotAuthorized) || !errors.Is(err, billing.ErrForbidden) {
		t.Fatalf("action by removed key: got %v, want ErrKeyNotAuthorized and ErrForbidden", err)
	}
	if closed, _ := ts.Recheck(); closed != 1 {
		t.Fatalf("recheck closed %d sessions, want 1", closed)
	}
	if st := exitStatus(open.wait()); st != 1 {
		t.Errorf("removed key's session exit status %d, want 1", st)
	}
	if !strings.Contains(open.errOut.String(), "your key was removed") {
		t.Errorf("removed key's session got no reason; stderr %q", open.errOut.String())
	}
}

func TestRoleChangeSeenByActionTimeCheck(t *testing.T) {
	ana := newTestKey(t, "ana@laptop")
	ts := startServer(t, []string{ana.line("finance")}, nil, nil)

	tm := ts.openTerm(t, ana, "xterm-256color", 200, 10, true)
	tm.waitOut("role=finance")
	tm.send("a")
	tm.waitOut(`authz="refund allowed"`)

	// Downgrade the key while the session is open.
	writeKeys(t, ts.keysPath, ana.line("viewer"))
	tm.send("a")
	tm.waitOut(`authz="refund refused (forbidden)"`)

	id := Identity{Name: ana.comment, Fingerprint: ana.fingerprint(), Role: billing.RoleFinance}
	if err := ts.Authorize(id, billing.ActionRefund); !errors.Is(err, billing.ErrForbidden) {
		t.Fatalf("refund by downgraded key: got %v, want ErrForbidden", err)
	}
	if err := ts.Authorize(id, billing.ActionCredit); !errors.Is(err, billing.ErrForbidden) {
		t.Fatalf("credit by viewer: got %v, want ErrForbidden", err)
	}
	op, err := ts.CurrentOperator(id)
	if err != nil || op.Role != billing.RoleViewer {
		t.Fatalf("current operator %+v, %v; want the viewer role", op, err)
	}

	// The recheck tells the open session; upgrade again and it can act.
	if _, changed := ts.Recheck(); changed != 1 {
		t.Fatalf("recheck told %d sessions, want 1", changed)
	}
	tm.waitOut("role=viewer")
	writeKeys(t, ts.keysPath, ana.line("support"))
	if err := ts.Authorize(id, billing.ActionCredit); err != nil {
		t.Fatalf("credit by support: %v", err)
	}
}

func TestIdleSessionClosed(t *testing.T) {
	ana := newTestKey(t, "ana@laptop")
	ts := startServer(t, []string{ana.line("viewer")}, nil, func(c *Config) { c.IdleTimeout = 400 * time.Millisecond })
	tm := ts.openTerm(t, ana, "xterm", 120, 10, true)
	tm.waitOut("operator=ana@laptop")
	if st := exitStatus(tm.wait()); st != 1 {
		t.Fatalf("idle session exit status %d, want 1", st)
	}
	if !strings.Contains(tm.errOut.String(), "no input for 400ms") {
		t.Fatalf("idle session got no reason; stderr %q", tm.errOut.String())
	}
	if n := ts.Stats().Sessions; n != 0 {
		t.Fatalf("%d sessions still counted after the idle close", n)
	}
}

func TestPeriodicRecheckClosesRemovedKeySession(t *testing.T) {
	ana := newTestKey(t, "ana@laptop")
	bob := newTestKey(t, "bob@desk")
	ts := startServer(t, []string{ana.line("finance"), bob.line("viewer")}, nil, func(c *Config) {
		c.RecheckInterval = 100 * time.Millisecond
	})
	a := ts.openTerm(t, ana, "xterm", 160, 5, true)
	b := ts.openTerm(t, bob, "xterm", 160, 5, true)
	a.waitOut("role=finance")
	b.waitOut("role=viewer")

	writeKeys(t, ts.keysPath, ana.line("support"))
	// Without any call from the test: the loop closes bob's session and
	// tells ana's about the new role.
	if st := exitStatus(b.wait()); st != 1 {
		t.Fatalf("removed key's session exit status %d, want 1", st)
	}
	a.waitOut("role=support")
}

func TestShutdownEndsSessions(t *testing.T) {
	ana := newTestKey(t, "ana@laptop")
	ts := startServer(t, []string{ana.line("viewer")}, nil, nil)
	tm := ts.openTerm(t, ana, "xterm", 160, 5, true)
	tm.waitOut("operator=ana@laptop")

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ts.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if st := exitStatus(tm.wait()); st != 1 {
		t.Fatalf("session exit status %d at shutdown, want 1", st)
	}
	if !strings.Contains(tm.errOut.String(), "shutting down") {
		t.Errorf("session stderr %q, want the shutdown notice", tm.errOut.String())
	}
	if _, err := ts.dial(ana); err == nil {
		t.Fatal("connection accepted after shutdown")
	}
}

func TestKeysFileRejectsBadLinesAndFailsClosed(t *testing.T) {
	ana := newTestKey(t, "ana@laptop")
	bob := newTestKey(t, "bob@desk")
	ts := startServer(t, []string{bob.line("owner"), ana.line("support")}, nil, nil)

	// Line 1 is rejected and logged with its number; line 2 still loads.
	logs := ts.logs.String()
	if !strings.Contains(logs, "line=1") || !strings.Contains(logs, `unknown role \"owner\"`) {
		t.Errorf("rejected line not logged with its number and reason; log:\n%s", logs)
	}
	if c, err := ts.dial(bob); err == nil {
		c.Close()
		t.Fatal("key on a rejected line let in")
	}
	c, err := ts.dial(ana)
	if err != nil {
		t.Fatalf("valid line after a rejected one: %v", err)
	}
	c.Close()

	// A missing file refuses everyone; restoring it lets them back in.
	if err := os.Remove(ts.keysPath); err != nil {
		t.Fatal(err)
	}
	if c, err := ts.dial(ana); err == nil {
		c.Close()
		t.Fatal("let in while the authorized-keys file is missing")
	}
	writeKeys(t, ts.keysPath, ana.line("support"))
	c, err = ts.dial(ana)
	if err != nil {
		t.Fatalf("after the file came back: %v", err)
	}
	c.Close()

	// New refuses to start without the file.
	_, err = New(Config{HostKeyPath: filepath.Join(t.TempDir(), "hk"), AuthorizedKeysPath: filepath.Join(t.TempDir(), "none")}, testFactory)
	if err == nil || !strings.Contains(err.Error(), "authorized keys") {
		t.Fatalf("New without a keys file: %v", err)
	}
}
