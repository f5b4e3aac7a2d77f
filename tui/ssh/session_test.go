package ssh

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/paydesk/paydesk/billing/sandbox/testkit"
	gossh "golang.org/x/crypto/ssh"
)

func TestSessionWithoutPTYGetsMessage(t *testing.T) {
	ana := newTestKey(t, "ana@laptop")
	factoryCalls := 0
	ts := startServer(t, []string{ana.line("viewer")}, func(s Session) (tea.Model, error) {
		factoryCalls++
		return testFactory(s)
	}, nil)

	c, err := ts.dial(ana)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr testkit.SyncBuffer
	sess.Stdout, sess.Stderr = &stdout, &stderr
	err = sess.Run("")
	if st := exitStatus(err); st != 1 {
		t.Fatalf("no-PTY session: exit %d (%v), want 1", st, err)
	}
	if !strings.Contains(stderr.String(), "paydesk needs a terminal: ssh -t -p ") {
		t.Fatalf("no-PTY stderr %q, want the terminal hint", stderr.String())
	}
	if factoryCalls != 0 {
		t.Errorf("factory called %d times for a session without a PTY", factoryCalls)
	}
	if ts.Stats().SessionsRefused != 1 {
		t.Errorf("stats %+v, want one refused session", ts.Stats())
	}
}

func TestPTYSessionRendersModelWithKeyIdentity(t *testing.T) {
	ana := newTestKey(t, "ana@laptop")
	ts := startServer(t, []string{ana.line("finance")}, nil, nil)

	tm := ts.openTerm(t, ana, "xterm-256color", 200, 10, true)
	want := fmt.Sprintf("operator=ana@laptop (%s) role=finance", ana.fingerprint())
	tm.waitOut(want)
	// The session's renderer follows the client's profile: 256 colours.
	tm.waitOut("\x1b[38;5;196mpaydesk")
	// Alt screen is on; the size is the PTY's, and follows window changes.
	tm.waitOut("\x1b[?1049h")
	tm.waitOut("size=200x10")
	if err := tm.sess.WindowChange(30, 180); err != nil {
		t.Fatal(err)
	}
	tm.waitOut("size=180x30")

	tm.send("q")
	if st := exitStatus(tm.wait()); st != 0 {
		t.Fatalf("quit: exit status %d, want 0", st)
	}
	if n := ts.Stats().Sessions; n != 0 {
		t.Fatalf("%d sessions counted after quit", n)
	}

	// A client announcing a 16-colour terminal gets 16-colour output.
	tm16 := ts.openTerm(t, ana, "xterm", 200, 10, true)
	tm16.waitOut(want)
	tm16.waitOut("\x1b[91mpaydesk")
}

// A client whose terminal never answers the renderer's colour query still
// gets the console once the query times out, and its first keystroke after
// that reaches the program instead of the abandoned query.
func TestSilentTerminalStillServedWithoutLosingInput(t *testing.T) {
	ana := newTestKey(t, "ana@laptop")
	ts := startServer(t, []string{ana.line("finance")}, nil, nil)
	c, err := ts.dial(ana)
	if err != nil {
		t.Fatal(err)
	}
	tm, err := startTermAnswering(t, c, "xterm-256color", 200, 5, true, false)
	if err != nil {
		t.Fatal(err)
	}
	tm.waitOut("operator=ana@laptop")
	tm.send("a")
	tm.waitOut(`authz="refund allowed"`)
}

func TestPanickingFactoryEndsOnlyItsSession(t *testing.T) {
	ana := newTestKey(t, "ana@laptop")
	bob := newTestKey(t, "bob@desk")
	ts := startServer(t, []string{ana.line("viewer"), bob.line("viewer")}, func(s Session) (tea.Model, error) {
		if s.Identity.Name == "bob@desk" {
			panic("page bug")
		}
		return testFactory(s)
	}, nil)
	a := ts.openTerm(t, ana, "xterm", 160, 5, true)
	a.waitOut("operator=ana@laptop")

	b := ts.openTerm(t, bob, "xterm", 160, 5, true)
	if st := exitStatus(b.wait()); st != 1 {
		t.Fatalf("panicking session exit status %d, want 1", st)
	}
	if !strings.Contains(b.errOut.String(), "internal error") {
		t.Errorf("panicking session stderr %q", b.errOut.String())
	}
	if !strings.Contains(ts.logs.String(), "page bug") {
		t.Errorf("panic not logged")
	}
	// The other session and the server live on; the slot was released.
	a.send("a")
	a.waitOut(`authz="refund refused (forbidden)"`)
	if n := ts.Stats().Sessions; n != 1 {
		t.Fatalf("%d sessions counted, want 1", n)
	}
	again := ts.openTerm(t, ana, "xterm", 160, 5, true)
	again.waitOut("operator=ana@laptop")
}

func TestMaxSessions(t *testing.T) {
	ana := newTestKey(t, "ana@laptop")
	ts := startServer(t, []string{ana.line("viewer")}, nil, func(c *Config) { c.MaxSessions = 2 })

	a := ts.openTerm(t, ana, "xterm", 120, 5, true)
	b := ts.openTerm(t, ana, "xterm", 120, 5, true)
	a.waitOut("operator=ana@laptop")
	b.waitOut("operator=ana@laptop")

	extra := ts.openTerm(t, ana, "xterm", 120, 5, true)
	if st := exitStatus(extra.wait()); st != 1 {
		t.Fatalf("third session exit status %d, want 1", st)
	}
	if !strings.Contains(extra.errOut.String(), "too many sessions (2 open)") {
		t.Fatalf("third session stderr %q", extra.errOut.String())
	}
	if strings.Contains(extra.out.String(), "operator=") {
		t.Fatal("third session rendered the console")
	}

	// A freed slot is usable again.
	a.send("q")
	a.wait()
	again := ts.openTerm(t, ana, "xterm", 120, 5, true)
	again.waitOut("operator=ana@laptop")
	if st := ts.Stats(); st.Sessions != 2 || st.SessionsRefused != 1 {
		t.Fatalf("stats %+v, want 2 open and 1 refused", st)
	}
}

func TestConnectionRateLimit(t *testing.T) {
	ana := newTestKey(t, "ana@laptop")
	ts := startServer(t, []string{ana.line("viewer")}, nil, func(c *Config) {
		c.ConnRate = 0.01 // one token per 100 s: only the burst gets through
		c.ConnBurst = 2
	})
	for i := 0; i < 2; i++ {
		c, err := ts.dial(ana)
		if err != nil {
			t.Fatalf("connection %d within the burst: %v", i+1, err)
		}
		c.Close()
	}
	c, err := ts.dial(ana)
	if err == nil {
		c.Close()
		t.Fatal("connection beyond the rate limit was served")
	}
	if got := ts.Stats().RateLimited; got != 1 {
		t.Fatalf("rate-limited count %d, want 1", got)
	}
}

// 20 sessions render and all receive every live event, while one session
// whose model never reads the bus and one whose terminal never reads its
// output stall nobody.
func TestFanOutToManySessionsWithStalledOnes(t *testing.T) {
	const (
		fast    = 20
		buffer  = 8
		notices = 40
	)
	st := openFeedStore(t)
	keys := make([]testKey, fast)
	lines := make([]string, 0, fast+2)
	for i := range keys {
		keys[i] = newTestKey(t, fmt.Sprintf("staff%02d@team", i))
		lines = append(lines, keys[i].line("support"))
	}
	lazy := newTestKey(t, "lazy@team")
	heavy := newTestKey(t, "heavy@team")
	lines = append(lines, lazy.line("viewer"), heavy.line("viewer"))
	ts := startServer(t, lines, nil, func(c *Config) {
		c.Feed = st.Feed()
		c.BusBuffer = buffer
		c.MaxSessions = fast + 2
	})

	// The heavy terminal repaints 400x800 on every notice and never reads:
	// its SSH window fills and its program blocks writing.
	heavyTerm := ts.openTerm(t, heavy, "xterm", 800, 400, false)
	lazyTerm := ts.openTerm(t, lazy, "xterm", 200, 5, true)
	terms := make([]*term, fast)
	var wg sync.WaitGroup
	errs := make(chan error, fast)
	for i := range terms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := ts.dial(keys[i])
			if err != nil {
				errs <- fmt.Errorf("dial %d: %w", i, err)
				return
			}
			tm, err := startTerm(t, c, "xterm", 200, 5, true)
			if err != nil {
				errs <- fmt.Errorf("term %d: %w", i, err)
				return
			}
			terms[i] = tm
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i, tm := range terms {
		tm.waitOut(fmt.Sprintf("operator=staff%02d@team", i))
	}
	lazyTerm.waitOut("operator=lazy@team")
	if n := st.Feed().Subscribers(); n != fast+2 {
		t.Fatalf("%d bus subscribers, want one per session (%d)", n, fast+2)
	}

	// Publish one event at a time and wait until every fast session drew
	// it, so a fast session never legitimately falls behind its buffer.
	for i := 1; i <= notices; i++ {
		announce(t, st, fmt.Sprintf("evt_%d", i))
		for _, tm := range terms {
			tm.waitOut(fmt.Sprintf("notices=%d ", i))
		}
	}
	for i, tm := range terms {
		if strings.Contains(tm.out.String(), "reload=true") {
			t.Errorf("fast session %d lost notices", i)
		}
	}
	// The lazy session's queue kept the first `buffer` notices; the rest
	// were dropped, and its next read says Reload.
	lazyTerm.send("g")
	lazyTerm.waitOut(fmt.Sprintf("notices=%d reload=true", buffer))
	dropped := st.Feed().Dropped()
	if dropped < uint64(notices-buffer) {
		t.Fatalf("bus dropped %d notices, want at least the lazy session's %d", dropped, notices-buffer)
	}
	// The heavy terminal stalled too (its losses are the rest); once its
	// client reads again it catches up with a Reload.
	if dropped == uint64(notices-buffer) {
		t.Fatalf("the stalled terminal lost nothing: it never stalled, the test proves nothing")
	}
	heavyTerm.startReading()
	heavyTerm.waitOut("reload=true")
}

func TestParseAuthorizedKeys(t *testing.T) {
	ana := newTestKey(t, "ana@laptop")
	bob := newTestKey(t, "bob@desk")
	cat := newTestKey(t, "")
	pub := func(k testKey) string {
		return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k.signer.PublicKey())))
	}
	file := strings.Join([]string{
		"# staff keys",
		ana.line("finance"),                      // 2 ok
		"",                                       // 3
		pub(bob) + " bob@desk",                   // 4 no role
		"role=owner " + pub(bob) + " bob@desk",   // 5 unknown role
		`from="10.0.0.1",role=admin ` + pub(bob), // 6 unsupported option
		"role=viewer ssh-ed25519 AAAAnotbase64 x@y", // 7 bad key
		ana.line("admin"), // 8 duplicate
		`role="support" ` + pub(bob) + " bob\x1b[31m@desk", // 9 ok, escape stripped
		"  role=viewer " + pub(cat),                        // 10 ok, no comment
	}, "\n")
	keys, rejected := ParseAuthorizedKeys([]byte(file))
	if len(keys) != 3 {
		t.Fatalf("accepted %d keys, want 3: %+v", len(keys), keys)
	}
	if k := keys[ana.fingerprint()]; k.Role != "finance" || k.Name != "ana@laptop" || k.Line != 2 {
		t.Errorf("ana: %+v", k)
	}
	if k := keys[bob.fingerprint()]; k.Role != "support" || k.Name != "bob[31m@desk" || k.Line != 9 {
		t.Errorf("bob: %+v", k)
	}
	catID := Identity{Name: keys[cat.fingerprint()].Name, Fingerprint: cat.fingerprint(), Role: keys[cat.fingerprint()].Role}
	if op := catID.Operator(); op.Name != cat.fingerprint() || op.Role != "viewer" {
		t.Errorf("key without comment: operator %+v", op)
	}
	wantLines := map[int]string{4: "missing role", 5: "unknown role", 6: "unsupported option", 7: "unparsable key", 8: "already listed on line 2"}
	if len(rejected) != len(wantLines) {
		t.Fatalf("rejected %+v, want lines %v", rejected, wantLines)
	}
	for _, r := range rejected {
		if want, ok := wantLines[r.Line]; !ok || !strings.Contains(r.Reason, want) {
			t.Errorf("line %d rejected for %q, want %q", r.Line, r.Reason, want)
		}
	}
}

func TestTokenBucket(t *testing.T) {
	now := time.Unix(1000, 0)
	b := newTokenBucket(2, 3)
	b.now = func() time.Time { return now }
	got := 0
	for b.allow() {
		got++
	}
	if got != 3 {
		t.Fatalf("burst allowed %d, want 3", got)
	}
	now = now.Add(500 * time.Millisecond) // one token at 2/s
	if !b.allow() || b.allow() {
		t.Fatal("after 0.5 s at 2/s: want exactly one more")
	}
	now = now.Add(time.Hour) // refills to the burst, no more
	got = 0
	for b.allow() {
		got++
	}
	if got != 3 {
		t.Fatalf("after a long pause allowed %d, want the burst 3", got)
	}
}

// closingModel is testModel with a Close that counts its calls.
type closingModel struct {
	*testModel
	closed *atomic.Int32
}

func (m closingModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := m.testModel.Update(msg)
	return m, cmd
}

func (m closingModel) Close() { m.closed.Add(1) }

// A model with Close is closed exactly once when its session ends, whether
// the operator quit or the client just went away (the console releases its
// live-bus subscription there).
func TestModelClosedWhenSessionEnds(t *testing.T) {
	ana := newTestKey(t, "ana@laptop")
	var closed atomic.Int32
	ts := startServer(t, []string{ana.line("viewer")}, func(sess Session) (tea.Model, error) {
		m, err := testFactory(sess)
		return closingModel{testModel: m.(*testModel), closed: &closed}, err
	}, nil)
	waitClosed := func(want int32) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for closed.Load() < want && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if got := closed.Load(); got != want {
			t.Fatalf("Close called %d times, want %d", got, want)
		}
	}

	tm := ts.openTerm(t, ana, "xterm", 120, 10, true)
	tm.waitOut("operator=ana@laptop")
	tm.send("q")
	tm.wait()
	waitClosed(1)

	tm = ts.openTerm(t, ana, "xterm", 120, 10, true)
	tm.waitOut("operator=ana@laptop")
	tm.client.Close() // no quit: the connection drops
	waitClosed(2)
	if n := ts.Stats().Sessions; n != 0 { // release forgets the session before Close
		t.Fatalf("%d sessions counted after both ended", n)
	}
}
