package ssh

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	gossh "golang.org/x/crypto/ssh"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/sandbox/testkit"
	"github.com/paydesk/paydesk/storage"
)

// testKey is a client key pair and its identity.
type testKey struct {
	priv    ed25519.PrivateKey
	signer  gossh.Signer
	comment string
}

func newTestKey(t testing.TB, comment string) testKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{priv: priv, signer: s, comment: comment}
}

// line is the key's authorized-keys line with role.
func (k testKey) line(role string) string {
	pub := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k.signer.PublicKey())))
	return fmt.Sprintf("role=%s %s %s", role, pub, k.comment)
}

func (k testKey) fingerprint() string { return gossh.FingerprintSHA256(k.signer.PublicKey()) }

func writeKeys(t testing.TB, path string, lines ...string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// testServer is a running server on 127.0.0.1:0.
type testServer struct {
	*Server
	addr     string
	keysPath string
	dir      string
	logs     *testkit.SyncBuffer
}

func startServer(t testing.TB, keyLines []string, factory Factory, tweak func(*Config)) *testServer {
	t.Helper()
	dir := t.TempDir()
	keysPath := filepath.Join(dir, "authorized_keys")
	writeKeys(t, keysPath, keyLines...)
	logs := &testkit.SyncBuffer{}
	cfg := Config{
		HostKeyPath:        filepath.Join(dir, "data", "ssh_host_ed25519"),
		AuthorizedKeysPath: keysPath,
		ConnRate:           -1,
		RecheckInterval:    -1,
		Logger:             slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if tweak != nil {
		tweak(&cfg)
	}
	if factory == nil {
		factory = testFactory
	}
	srv, err := New(cfg, factory)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		if err := <-served; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
	return &testServer{Server: srv, addr: ln.Addr().String(), keysPath: keysPath, dir: dir, logs: logs}
}

func (ts *testServer) clientConfig(auth ...gossh.AuthMethod) *gossh.ClientConfig {
	return &gossh.ClientConfig{
		User:            "staff",
		Auth:            auth,
		HostKeyCallback: gossh.FixedHostKey(ts.HostKey()),
		Timeout:         5 * time.Second,
	}
}

func (ts *testServer) dial(k testKey) (*gossh.Client, error) {
	return gossh.Dial("tcp", ts.addr, ts.clientConfig(gossh.PublicKeys(k.signer)))
}

// term is one client session with a PTY, its output collected.
type term struct {
	t      testing.TB
	client *gossh.Client
	sess   *gossh.Session
	stdin  io.Writer
	out    *testkit.SyncBuffer
	errOut *testkit.SyncBuffer
	stdout io.Reader
	waited chan error
}

// da1Reply answers the background-colour query bm.MakeRenderer sends, as a
// real terminal would (otherwise the query waits for its timeout).
const da1Reply = "\x1b[?62c"

// openTerm connects with k, asks for a PTY of w x h and starts the shell.
// With read false the client never reads the session's output.
func (ts *testServer) openTerm(t testing.TB, k testKey, termName string, w, h int, read bool) *term {
	t.Helper()
	c, err := ts.dial(k)
	if err != nil {
		t.Fatalf("dial %s: %v", k.comment, err)
	}
	tm, err := startTerm(t, c, termName, w, h, read)
	if err != nil {
		c.Close()
		t.Fatal(err)
	}
	return tm
}

func startTerm(t testing.TB, c *gossh.Client, termName string, w, h int, read bool) (*term, error) {
	return startTermAnswering(t, c, termName, w, h, read, true)
}

// startTermAnswering is startTerm; with answer false the client never
// answers the terminal query.
func startTermAnswering(t testing.TB, c *gossh.Client, termName string, w, h int, read, answer bool) (*term, error) {
	sess, err := c.NewSession()
	if err != nil {
		return nil, fmt.Errorf("new session: %w", err)
	}
	tm := &term{t: t, client: c, sess: sess, out: &testkit.SyncBuffer{}, errOut: &testkit.SyncBuffer{}, waited: make(chan error, 1)}
	if tm.stdin, err = sess.StdinPipe(); err != nil {
		return nil, err
	}
	if tm.stdout, err = sess.StdoutPipe(); err != nil {
		return nil, err
	}
	sess.Stderr = tm.errOut
	if err := sess.RequestPty(termName, h, w, gossh.TerminalModes{}); err != nil {
		return nil, fmt.Errorf("pty: %w", err)
	}
	if err := sess.Shell(); err != nil {
		return nil, fmt.Errorf("shell: %w", err)
	}
	if answer {
		// A session the server refuses at once may be gone already.
		_, _ = io.WriteString(tm.stdin, da1Reply)
	}
	if read {
		tm.startReading()
	}
	go func() { tm.waited <- sess.Wait() }()
	t.Cleanup(func() { c.Close() })
	return tm, nil
}

func (tm *term) startReading() {
	go func() { _, _ = io.Copy(tm.out, tm.stdout) }()
}

func (tm *term) send(s string) {
	tm.t.Helper()
	if _, err := io.WriteString(tm.stdin, s); err != nil {
		tm.t.Fatalf("send %q: %v", s, err)
	}
}

// waitOut waits until the output holds want; it fails the test after 10 s.
func (tm *term) waitOut(want string) {
	tm.t.Helper()
	if !tm.out.WaitFor(want, 10*time.Second) {
		tm.t.Fatalf("output never showed %q; tail:\n%q", want, tail(tm.out.String(), 400))
	}
}

// wait returns the session's exit error once it ended.
func (tm *term) wait() error {
	tm.t.Helper()
	select {
	case err := <-tm.waited:
		return err
	case <-time.After(10 * time.Second):
		tm.t.Fatal("session did not end")
		return nil
	}
}

func exitStatus(err error) int {
	var ee *gossh.ExitError
	if errors.As(err, &ee) {
		return ee.ExitStatus()
	}
	if err == nil {
		return 0
	}
	return -1
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// testModel shows who the session is and counts live notices.
//   - "lazy@…" keys do not read the bus until 'g' is typed;
//   - 'a' runs the action-time check for a refund and shows the answer;
//   - 'q' quits.
type testModel struct {
	sess     Session
	op       billing.Operator
	consume  bool
	notices  int
	reload   bool
	authz    string
	width    int
	height   int
	fillRows bool // repeat the status on every row (a heavy terminal)
}

type noticeMsg struct {
	n  storage.Change
	ok bool
}

func testFactory(sess Session) (tea.Model, error) {
	return &testModel{
		sess:     sess,
		op:       sess.Operator(),
		consume:  !strings.HasPrefix(sess.Identity.Name, "lazy@"),
		fillRows: strings.HasPrefix(sess.Identity.Name, "heavy@"),
		width:    sess.Width,
		height:   sess.Height,
	}, nil
}

func (m *testModel) next() tea.Cmd {
	if m.sess.Notices == nil {
		return nil
	}
	sub := m.sess.Notices
	return func() tea.Msg {
		n, ok := sub.Next()
		return noticeMsg{n: n, ok: ok}
	}
}

func (m *testModel) Init() tea.Cmd {
	if m.consume {
		return m.next()
	}
	return nil
}

func (m *testModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case noticeMsg:
		if !msg.ok {
			return m, nil
		}
		m.notices++
		m.reload = m.reload || msg.n.Reload
		return m, m.next()
	case OperatorChangedMsg:
		m.op = msg.Operator
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.KeyMsg:
		switch msg.String() {
		case "q":
			return m, tea.Quit
		case "g":
			if !m.consume {
				m.consume = true
				return m, m.next()
			}
		case "a":
			if err := m.sess.Authorize(billing.ActionRefund); err != nil {
				m.authz = "refund refused"
				if errors.Is(err, billing.ErrForbidden) {
					m.authz += " (forbidden)"
				}
			} else {
				m.authz = "refund allowed"
			}
		}
	}
	return m, nil
}

func (m *testModel) View() string {
	title := m.sess.Renderer.NewStyle().Foreground(lipgloss.Color("#ff0000")).Render("paydesk")
	status := fmt.Sprintf("%s operator=%s role=%s notices=%d reload=%v authz=%q size=%dx%d",
		title, m.op.Name, m.op.Role, m.notices, m.reload, m.authz, m.width, m.height)
	if !m.fillRows {
		return status
	}
	rows := make([]string, m.height)
	for i := range rows {
		rows[i] = fmt.Sprintf("%04d %s %s", i, status, strings.Repeat(fmt.Sprint(m.notices%10), m.width))
	}
	return strings.Join(rows, "\n")
}

// openFeedStore opens a cache in a temp dir whose change feed the sessions
// subscribe to.
func openFeedStore(t testing.TB) *storage.Store {
	t.Helper()
	st, err := storage.Open(filepath.Join(t.TempDir(), "cache.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// announce logs one delivery of an invoice.paid event, a committed write
// the store announces to every subscribed session.
func announce(t testing.TB, st *storage.Store, eventID string) {
	t.Helper()
	if _, err := st.AppendDelivery(storage.Delivery{Type: "invoice.paid", EventID: eventID, Verdict: storage.VerdictRejected}); err != nil {
		t.Fatal(err)
	}
}
