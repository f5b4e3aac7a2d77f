package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	goruntime "runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paydesk/paydesk/billing/sandbox/testclock"
	"github.com/paydesk/paydesk/billing/sandbox/testkit"

	"github.com/charmbracelet/x/ansi"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
	gossh "golang.org/x/crypto/ssh"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/billing/sandbox"
	"github.com/paydesk/paydesk/storage"
	pdssh "github.com/paydesk/paydesk/tui/ssh"
)

// These tests run the real `paydesk serve` in-process (runContext with a
// cancelable context) on a cache synced from a seeded sandbox, and drive
// it with golang.org/x/crypto/ssh clients holding a PTY: keystrokes go in
// as bytes, the screen is read from the session's stdout with the ANSI
// escapes stripped, and every step waits for text the previous one makes
// appear.

// serveWait bounds every wait for the screen or the server.
const serveWait = 20 * time.Second

// sshKey is a client key pair and its comment.
type sshKey struct {
	signer  gossh.Signer
	comment string
}

func newSSHKey(t *testing.T, comment string) sshKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return sshKey{signer: s, comment: comment}
}

// line is the key's authorized-keys line with its role.
func (k sshKey) line(role string) string {
	pub := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k.signer.PublicKey())))
	return fmt.Sprintf("role=%s %s %s", role, pub, k.comment)
}

func (k sshKey) fingerprint() string { return gossh.FingerprintSHA256(k.signer.PublicKey()) }

// served is one running `paydesk serve` over a seeded sandbox.
type served struct {
	t          *testing.T
	sb         *sandbox.Server
	api        *client.API
	db         string
	keysPath   string
	secret     string
	sshAddr    string
	hostFP     string
	webhookURL string
	stdout     *testkit.SyncBuffer
	stderr     *testkit.SyncBuffer
	stop       func() // cancels serve and checks it returned cleanly; idempotent
}

var serveLine = regexp.MustCompile(`paydesk serve: ssh -p (\d+) (\S+) \(host key (SHA256:\S+)\); webhooks on (http://\S+/webhooks/stripe)`)

// startServe seeds a sandbox, syncs a cache from it with `paydesk sync`,
// writes keyLines as the authorized-keys file, starts `paydesk serve` on
// loopback ports and registers its webhook URL with the sandbox.
func startServe(t *testing.T, keyLines ...string) *served {
	t.Helper()
	clearEnv(t)
	sb, err := sandbox.New(sandbox.Options{Seed: 8, Customers: 30, Now: testclock.Running(), WebhookClock: testclock.Running()})
	if err != nil {
		t.Fatal(err)
	}
	base, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	secretBytes := make([]byte, 24)
	if _, err := rand.Read(secretBytes); err != nil {
		t.Fatal(err)
	}
	s := &served{t: t, sb: sb, api: client.New(sb.APIKey(), sb.Backends()),
		secret: "whsec_" + hex.EncodeToString(secretBytes), stdout: &testkit.SyncBuffer{}, stderr: &testkit.SyncBuffer{}}
	t.Setenv("STRIPE_SECRET_KEY", sb.APIKey())
	t.Setenv("STRIPE_API_BASE", base)
	t.Setenv("STRIPE_WEBHOOK_SECRET", s.secret)

	dir := t.TempDir()
	s.db = filepath.Join(dir, "serve.db")
	if code, _, errOut := runCLI(t, "sync", "--db", s.db, "--rate", "1000"); code != 0 {
		t.Fatalf("sync: exit %d: %s", code, errOut)
	}
	s.keysPath = filepath.Join(dir, "authorized_keys")
	s.writeKeys(keyLines...)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- runContext(ctx, []string{"serve", "--db", s.db, "--ssh-addr", "127.0.0.1:0",
			"--webhook-addr", "127.0.0.1:0", "--authorized-keys", s.keysPath, "--rate", "1000"}, s.stdout, s.stderr)
	}()
	var once sync.Once
	s.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case code := <-done:
				if code != 0 {
					t.Errorf("serve exited %d after cancel:\n%s", code, s.stderr.String())
				}
			case <-time.After(serveWait):
				t.Errorf("serve did not return within %s of cancel", serveWait)
			}
			for _, secret := range []string{s.secret, sb.APIKey()} {
				if strings.Contains(s.stdout.String()+s.stderr.String(), secret) {
					t.Errorf("serve printed a secret")
				}
			}
		})
	}
	t.Cleanup(s.stop)

	deadline := time.Now().Add(serveWait)
	for {
		if m := serveLine.FindStringSubmatch(s.stdout.String()); m != nil {
			s.sshAddr, s.hostFP, s.webhookURL = m[2]+":"+m[1], m[3], m[4]
			break
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d before listening:\n%s\n%s", code, s.stdout.String(), s.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve never printed its addresses:\n%s\n%s", s.stdout.String(), s.stderr.String())
		}
	}
	sb.AddEndpoint(s.webhookURL, s.secret)
	return s
}

func (s *served) writeKeys(lines ...string) {
	s.t.Helper()
	if err := os.WriteFile(s.keysPath, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		s.t.Fatal(err)
	}
}

// clientConfig trusts only the host key whose fingerprint serve printed.
func (s *served) clientConfig(auth ...gossh.AuthMethod) *gossh.ClientConfig {
	return &gossh.ClientConfig{
		User: "staff",
		Auth: auth,
		HostKeyCallback: func(_ string, _ net.Addr, key gossh.PublicKey) error {
			if fp := gossh.FingerprintSHA256(key); fp != s.hostFP {
				return fmt.Errorf("host key %s, serve printed %s", fp, s.hostFP)
			}
			return nil
		},
		Timeout: 10 * time.Second,
	}
}

func (s *served) dial(k sshKey) (*gossh.Client, error) {
	return gossh.Dial("tcp", s.sshAddr, s.clientConfig(gossh.PublicKeys(k.signer)))
}

// screen is one SSH session with a PTY whose output is collected.
type screen struct {
	t      *testing.T
	name   string
	client *gossh.Client
	sess   *gossh.Session
	stdin  io.WriteCloser
	out    *testkit.SyncBuffer
	errOut *testkit.SyncBuffer
	waited chan error
}

// da1Reply answers the terminal query bm.MakeRenderer sends, as a real
// terminal would.
const da1Reply = "\x1b[?62c"

// openScreen connects with k and starts the console on a w x h PTY.
func (s *served) openScreen(k sshKey, w, h int) (*screen, error) {
	c, err := s.dial(k)
	if err != nil {
		return nil, fmt.Errorf("dial as %s: %w", k.comment, err)
	}
	sess, err := c.NewSession()
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("new session: %w", err)
	}
	sc := &screen{t: s.t, name: k.comment, client: c, sess: sess, out: &testkit.SyncBuffer{}, errOut: &testkit.SyncBuffer{}, waited: make(chan error, 1)}
	stdout, err := sess.StdoutPipe()
	if err == nil {
		sc.stdin, err = sess.StdinPipe()
	}
	if err == nil {
		sess.Stderr = sc.errOut
		err = sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{})
	}
	if err == nil {
		err = sess.Shell()
	}
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("start the console: %w", err)
	}
	go func() { _, _ = io.Copy(sc.out, stdout) }()
	go func() { sc.waited <- sess.Wait() }()
	s.t.Cleanup(func() { c.Close() })
	if _, err := io.WriteString(sc.stdin, da1Reply); err != nil {
		return nil, fmt.Errorf("answer the terminal query: %w", err)
	}
	return sc, nil
}

// mark is the position in the output from which the next wait reads.
func (sc *screen) mark() int { return sc.out.Len() }

// text is the output since mark with the escapes stripped.
func (sc *screen) text(mark int) string {
	raw := sc.out.String()
	if mark > len(raw) {
		mark = len(raw)
	}
	return ansi.Strip(raw[mark:])
}

// waitAfter waits until the output since mark shows every want.
func (sc *screen) waitAfter(mark int, want ...string) {
	sc.t.Helper()
	if err := sc.poll(mark, want...); err != nil {
		sc.t.Fatal(err)
	}
}

func (sc *screen) poll(mark int, want ...string) error {
	deadline := time.Now().Add(serveWait)
	for {
		txt := sc.text(mark)
		missing := ""
		for _, w := range want {
			if !strings.Contains(txt, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: the screen never showed %q; since the mark:\n%s", sc.name, missing, tailOf(txt, 3000))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// send types keys and returns the mark taken just before.
func (sc *screen) send(keys string) int {
	sc.t.Helper()
	m := sc.mark()
	if _, err := io.WriteString(sc.stdin, keys); err != nil {
		sc.t.Fatalf("%s: send %q: %v", sc.name, keys, err)
	}
	return m
}

// step types keys, then waits for want to appear.
func (sc *screen) step(keys string, want ...string) int {
	sc.t.Helper()
	m := sc.send(keys)
	sc.waitAfter(m, want...)
	return m
}

func tailOf(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// refundable is a charge the console can refund: succeeded, in USD, nothing
// refunded, not disputed, and the newest charge of its customer, so the
// customer's detail page lists it; email finds the customer.
type refundable struct {
	charge, customer, email, currency string
	amount                            int64
}

func (s *served) pickCharge(skip ...string) refundable {
	s.t.Helper()
	params := &stripe.ChargeListParams{}
	params.Limit = stripe.Int64(100)
	params.AddExpand("data.customer")
	seen := map[string]bool{}
	it := s.api.Charges.List(params)
	for it.Next() {
		ch := it.Charge()
		if ch.Customer == nil {
			continue
		}
		cus := ch.Customer.ID
		first := !seen[cus]
		seen[cus] = true
		if !first || ch.Status != stripe.ChargeStatusSucceeded || ch.AmountRefunded != 0 || ch.Disputed || ch.Currency != stripe.CurrencyUSD ||
			ch.Amount < 1000 || ch.Customer.Email == "" || slices.Contains(skip, cus) {
			continue
		}
		return refundable{charge: ch.ID, customer: cus, email: ch.Customer.Email, currency: string(ch.Currency), amount: ch.Amount}
	}
	if err := it.Err(); err != nil {
		s.t.Fatalf("list charges: %v", err)
	}
	s.t.Fatal("no refundable charge in the seeded sandbox")
	return refundable{}
}

// openCharge goes from the Customers view to the charge's detail page:
// filter by the customer's email, open the customer, tab through the
// related rows to the charge, open it.
func (sc *screen) openCharge(r refundable) {
	sc.t.Helper()
	sc.step("/", "/")
	// The table filters as the email is typed. The renderer repaints only
	// changed lines, so the customer's row (already on screen when it is
	// the newest) need not appear again: the detail title below checks it.
	sc.step(r.email, "/"+r.email)
	sc.step("\r", "filter:/"+r.email)
	sc.step("\r", "Customer "+r.customer)
	for i := 0; ; i++ {
		m := sc.send("\t")
		if err := sc.poll(m, "> "); err != nil {
			sc.t.Fatal(err)
		}
		if strings.Contains(sc.text(m), "> "+r.charge) {
			break
		}
		if i > 40 {
			sc.t.Fatalf("tab never selected %s", r.charge)
		}
	}
	sc.step("\r", "Charge "+r.charge, "Refunded", "Actions")
}

// refundsOf lists the sandbox's refunds of a charge through the API.
func (s *served) refundsOf(charge string) []*stripe.Refund {
	s.t.Helper()
	params := &stripe.RefundListParams{Charge: stripe.String(charge)}
	params.Limit = stripe.Int64(100)
	var out []*stripe.Refund
	it := s.api.Refunds.List(params)
	for it.Next() {
		out = append(out, it.Refund())
	}
	if err := it.Err(); err != nil {
		s.t.Fatalf("list refunds of %s: %v", charge, err)
	}
	return out
}

// openStore opens serve's cache once serve has stopped.
func (s *served) openStore() *storage.Store {
	s.t.Helper()
	s.stop()
	st, err := storage.Open(s.db, storage.Options{Timeout: 2 * time.Second, Holder: "serve test"})
	if err != nil {
		s.t.Fatalf("open serve's cache after it stopped: %v", err)
	}
	s.t.Cleanup(func() { st.Close() })
	return st
}

// operatorOf is the operator tui/ssh makes of k from the authorized-keys
// file as serve reads it: "comment (SHA256:…)" and the key's role.
func (s *served) operatorOf(k sshKey) billing.Operator {
	s.t.Helper()
	data, err := os.ReadFile(s.keysPath)
	if err != nil {
		s.t.Fatal(err)
	}
	keys, rejected := pdssh.ParseAuthorizedKeys(data)
	kl, ok := keys[k.fingerprint()]
	if !ok || len(rejected) > 0 {
		s.t.Fatalf("%s not in the authorized keys (rejected %v)", k.comment, rejected)
	}
	return pdssh.Identity{Name: kl.Name, Fingerprint: kl.Fingerprint, Role: kl.Role}.Operator()
}

// TestServeAccess: serve lets in listed public keys only: an unknown key,
// a password and keyboard-interactive answers are refused at the SSH
// layer, and a listed key without a PTY is told it needs a terminal.
func TestServeAccess(t *testing.T) {
	fin := newSSHKey(t, "fin@desk")
	s := startServe(t, fin.line("finance"))

	stranger := newSSHKey(t, "stranger@laptop")
	for name, auth := range map[string]gossh.AuthMethod{
		"unknown key": gossh.PublicKeys(stranger.signer),
		"password":    gossh.Password("hunter2"),
		"keyboard-interactive": gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			return []string{"hunter2"}, nil
		}),
	} {
		c, err := gossh.Dial("tcp", s.sshAddr, s.clientConfig(auth))
		if err == nil {
			c.Close()
			t.Fatalf("%s: serve let the client in", name)
		}
		if !strings.Contains(err.Error(), "unable to authenticate") {
			t.Fatalf("%s: dial failed with %v, want an authentication refusal", name, err)
		}
	}

	c, err := s.dial(fin)
	if err != nil {
		t.Fatalf("listed key refused: %v", err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr testkit.SyncBuffer
	sess.Stdout, sess.Stderr = &stdout, &stderr
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- sess.Wait() }()
	select {
	case err := <-waited:
		var ee *gossh.ExitError
		if !errors.As(err, &ee) || ee.ExitStatus() != 1 {
			t.Fatalf("session without a PTY ended with %v, want exit status 1", err)
		}
	case <-time.After(serveWait):
		t.Fatal("session without a PTY was not ended")
	}
	if !strings.Contains(stderr.String(), "paydesk needs a terminal: ssh -t") || strings.Contains(stdout.String(), "Customers") {
		t.Fatalf("no-PTY session: stderr %q stdout %q", stderr.String(), stdout.String())
	}
}

// TestServeViewerCannotRefund proves the refusal three ways, the strongest
// each layer allows:
//  1. over SSH, a viewer's charge page says why refunds are unavailable
//     and R opens no form (the console refuses in Common.CanAct before any
//     request reaches billing, so that path leaves no audit record);
//  2. over SSH, a finance key downgraded to viewer in the file while its
//     confirmation is open gets "Not allowed now" on y: serve's
//     action-time check (tui/ssh Session.Authorize re-reads the file) runs
//     right before billing, and the sandbox has no refund;
//  3. a client can only send keystrokes, so the money layer's own guard
//     is exercised directly: billing.Actions over serve's cache (after it
//     stopped) refuses PrepareRefund and the Execute of a finance plan
//     relabelled with the viewer's operator as tui/ssh resolves it, sends
//     nothing and writes "refused" audit records naming that operator.
func TestServeViewerCannotRefund(t *testing.T) {
	viewer := newSSHKey(t, "view@desk")
	fin := newSSHKey(t, "fin@desk")
	s := startServe(t, viewer.line("viewer"), fin.line("finance"))
	r := s.pickCharge()

	vs, err := s.openScreen(viewer, 160, 48)
	if err != nil {
		t.Fatal(err)
	}
	vs.waitAfter(0, "Customers")
	vs.openCharge(r)
	if txt := vs.text(0); !strings.Contains(txt, "R  refund — unavailable: read-only session") {
		t.Fatalf("viewer's charge page does not say why refunds are unavailable:\n%s", tailOf(txt, 3000))
	}
	m := vs.step("R", "refund unavailable: read-only session")
	if txt := vs.text(m); strings.Contains(txt, "Refund "+r.charge) || strings.Contains(txt, "Amount (") {
		t.Fatalf("R opened the refund form for a viewer:\n%s", txt)
	}

	fs, err := s.openScreen(fin, 160, 48)
	if err != nil {
		t.Fatal(err)
	}
	fs.waitAfter(0, "Customers")
	fs.openCharge(r)
	fs.fillRefund(r, "5.00")
	s.writeKeys(viewer.line("viewer"), fin.line("viewer"))
	fs.step("y", "Not allowed now: refund needs the finance role", "has viewer")

	if got := s.refundsOf(r.charge); len(got) != 0 {
		t.Fatalf("sandbox has %d refunds of %s after the refusals", len(got), r.charge)
	}

	viewerOp := s.operatorOf(viewer)
	finOp := s.operatorOf(fin) // the file now says viewer for this key too
	if viewerOp.Role != billing.RoleViewer || finOp.Role != billing.RoleViewer {
		t.Fatalf("roles %s / %s", viewerOp.Role, finOp.Role)
	}
	st := s.openStore()
	bc, err := billing.New(billing.Config{SecretKey: s.sb.APIKey(), APIBase: os.Getenv("STRIPE_API_BASE"), RateLimit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	money := billing.NewActions(bc, st, billing.Clocks{})
	if _, err := money.PrepareRefund(ctx, viewerOp, billing.RefundRequest{Target: r.charge}); !errors.Is(err, billing.ErrForbidden) {
		t.Fatalf("PrepareRefund as %s: %v, want ErrForbidden", viewerOp.Name, err)
	}
	plan, err := money.PrepareRefund(ctx, billing.Operator{Name: "lead@desk", Role: billing.RoleFinance},
		billing.RefundRequest{Target: r.charge, Amount: "1.00"})
	if err != nil {
		t.Fatalf("PrepareRefund as finance: %v", err)
	}
	plan.Operator = viewerOp
	if _, err := money.Execute(ctx, plan); !errors.Is(err, billing.ErrForbidden) {
		t.Fatalf("Execute of a plan carrying %s: %v, want ErrForbidden", viewerOp.Name, err)
	}
	if got := s.refundsOf(r.charge); len(got) != 0 {
		t.Fatalf("sandbox has %d refunds of %s after the refused Execute", len(got), r.charge)
	}
	recs, err := st.Audit(0, 20)
	if err != nil {
		t.Fatal(err)
	}
	refused := 0
	for _, rec := range recs {
		if rec.Outcome == billing.OutcomeSucceeded {
			t.Fatalf("audit has a succeeded record: %+v", rec)
		}
		if rec.Outcome == billing.OutcomeRefused && rec.Operator == viewerOp.Name && rec.Target == r.charge && rec.Action == string(billing.ActionRefund) {
			refused++
		}
	}
	if refused != 2 || !strings.HasPrefix(viewerOp.Name, "view@desk (SHA256:") {
		t.Fatalf("%d refused audit records for %q, want 2: %+v", refused, viewerOp.Name, recs)
	}
}

// fillRefund opens the refund form on the charge page, types the amount,
// keeps reason and note empty and waits for the confirmation.
func (sc *screen) fillRefund(r refundable, amount string) {
	sc.t.Helper()
	sc.step("R", "Refund "+r.charge, "Amount (USD)")
	sc.step(amount, amount)
	sc.step("\r", "┃ Reason")
	sc.step("\r", "┃ Internal note")
	sc.step("\r", "Press y to send.")
}

// TestServeFinanceRefundsOverSSH: a finance key refunds part of a charge
// through the console (charge page, R, amount, confirm, Enter); Stripe
// (the sandbox) has exactly that one refund, the signed webhook updated the
// cache, and the audit log — over SSH in the Audit view and in the cache
// after serve stopped — names the operator by key comment and fingerprint.
func TestServeFinanceRefundsOverSSH(t *testing.T) {
	fin := newSSHKey(t, "fin@desk")
	s := startServe(t, fin.line("finance"))
	r := s.pickCharge()
	op := s.operatorOf(fin)
	if op.Name != "fin@desk ("+fin.fingerprint()+")" || op.Role != billing.RoleFinance {
		t.Fatalf("operator %+v", op)
	}

	sc, err := s.openScreen(fin, 160, 48)
	if err != nil {
		t.Fatal(err)
	}
	sc.waitAfter(0, "Customers")
	sc.openCharge(r)
	sc.fillRefund(r, "5.00")
	// Stripe sends charge.refunded and refund.created for one refund, and
	// delivers them concurrently: the first to arrive names the update.
	mark := sc.step("y", "Cache updated by the ")
	if got := sc.text(mark); !strings.Contains(got, "charge.refunded webhook.") && !strings.Contains(got, "refund.created webhook.") {
		t.Fatalf("the result page names another event:\n%s", got)
	}
	sc.step("7", "charge.refunded", "refund.created") // both deliveries reached the tail
	sc.step("8", "OPERATOR", "fin@desk (SHA256:", r.charge, "$5.00", "succeeded")
	sc.step("\r", op.Name) // the record's detail shows the whole name

	refunds := s.refundsOf(r.charge)
	if len(refunds) != 1 {
		t.Fatalf("sandbox has %d refunds of %s, want 1", len(refunds), r.charge)
	}
	re := refunds[0]
	if re.Amount != 500 || re.Currency != stripe.CurrencyUSD || re.Metadata["paydesk_operator"] != op.Name {
		t.Fatalf("refund %s: %d %s operator %q", re.ID, re.Amount, re.Currency, re.Metadata["paydesk_operator"])
	}

	st := s.openStore()
	ch, err := st.Get(storage.KindCharge, r.charge)
	if err != nil {
		t.Fatal(err)
	}
	var cached struct {
		AmountRefunded int64 `json:"amount_refunded"`
	}
	if err := json.Unmarshal(ch.Raw, &cached); err != nil || cached.AmountRefunded != 500 {
		t.Fatalf("cached charge amount_refunded %d (%v), want 500", cached.AmountRefunded, err)
	}
	if _, err := st.Get(storage.KindRefund, re.ID); err != nil {
		t.Fatalf("refund %s not cached: %v", re.ID, err)
	}
	dels, err := st.Deliveries(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	// The signed charge.refunded webhook was verified and taken (200). Its
	// verdict is applied, or conflict when the cache's copy was written in
	// the same second (serve's own startup sync refetches the charge): the
	// webhook's copy is then written and marked stale for a refetch. Either
	// way the cached amount checked above is the refunded one.
	received := false
	for _, d := range dels {
		if d.Type == "charge.refunded" && d.ObjectID == r.charge && d.Source == "webhook" && d.Status == 200 &&
			(d.Verdict == storage.VerdictApplied || d.Verdict == storage.VerdictConflict) {
			received = true
		}
	}
	if !received {
		t.Fatalf("no verified charge.refunded webhook for %s in the delivery log: %+v", r.charge, dels)
	}
	recs, err := st.Audit(0, 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("audit has %d records, want 1: %+v", len(recs), recs)
	}
	rec := recs[0]
	if rec.Operator != op.Name || rec.Action != string(billing.ActionRefund) || rec.Target != r.charge ||
		rec.Outcome != billing.OutcomeSucceeded || rec.Amount != 500 || rec.Currency != "usd" || rec.RequestID == "" {
		t.Fatalf("audit record %+v", rec)
	}
}

// TestServeRemovedKeyRefused: removing a key from the authorized-keys file
// takes effect on its next connection, and on the next session of a
// connection it had opened before, without restarting serve; the key left
// in the file still gets in.
func TestServeRemovedKeyRefused(t *testing.T) {
	ana := newSSHKey(t, "ana@desk")
	ben := newSSHKey(t, "ben@desk")
	s := startServe(t, ana.line("support"), ben.line("finance"))

	before, err := s.dial(ana)
	if err != nil {
		t.Fatalf("ana refused while listed: %v", err)
	}
	defer before.Close()
	s.writeKeys(ben.line("finance"))

	c, err := s.dial(ana)
	if err == nil {
		c.Close()
		t.Fatal("ana's key got in after it was removed from the file")
	}
	if !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("removed key: %v, want an authentication refusal", err)
	}
	c, err = s.dial(ben)
	if err != nil {
		t.Fatalf("ben refused after ana's removal: %v", err)
	}
	c.Close()

	sess, err := before.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var stderr testkit.SyncBuffer
	sess.Stderr = &stderr
	if err := sess.RequestPty("xterm", 40, 120, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- sess.Wait() }()
	select {
	case err := <-waited:
		var ee *gossh.ExitError
		if !errors.As(err, &ee) || ee.ExitStatus() != 1 || !strings.Contains(stderr.String(), "this key is no longer authorized") {
			t.Fatalf("new session of a removed key: %v, stderr %q", err, stderr.String())
		}
	case <-time.After(serveWait):
		t.Fatal("the removed key's new session was not ended")
	}
}

// busWaiters counts the goroutines of this process blocked reading a
// live-bus subscription (one per open console session, plus serve's own).
func busWaiters() int {
	buf := make([]byte, 1<<22)
	for {
		n := goruntime.Stack(buf, true)
		if n < len(buf) {
			return strings.Count(string(buf[:n]), "storage.(*Subscription).Next")
		}
		buf = make([]byte, 2*len(buf))
	}
}

// TestServeConcurrentSessionsGetLiveEvent: 20 sessions (finance and
// viewer keys) render the console and open the Webhooks view; a refund made
// at Stripe (the sandbox API) reaches serve as a signed webhook and every
// session's screen shows its delivery; half the clients then drop and their
// sessions release the live bus; cancelling serve ends the rest with a
// notice and serve returns cleanly.
func TestServeConcurrentSessionsGetLiveEvent(t *testing.T) {
	const sessions = 20
	keys := []sshKey{newSSHKey(t, "fin1@desk"), newSSHKey(t, "fin2@desk"), newSSHKey(t, "view1@desk"), newSSHKey(t, "view2@desk")}
	s := startServe(t, keys[0].line("finance"), keys[1].line("finance"), keys[2].line("viewer"), keys[3].line("viewer"))
	r := s.pickCharge()

	screens := make([]*screen, sessions)
	errs := make(chan error, sessions)
	var wg sync.WaitGroup
	for i := range screens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc, err := s.openScreen(keys[i%len(keys)], 120, 32)
			if err != nil {
				errs <- err
				return
			}
			sc.name = fmt.Sprintf("session %d (%s)", i, sc.name)
			screens[i] = sc
			if err := sc.poll(0, "Customers", "1 Customers"); err != nil {
				errs <- err
				return
			}
			m := sc.mark()
			if _, err := io.WriteString(sc.stdin, "7"); err != nil {
				errs <- err
				return
			}
			errs <- sc.poll(m, "Webhooks  ● live", "no deliveries yet")
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}

	marks := make([]int, sessions)
	for i, sc := range screens {
		marks[i] = sc.mark()
	}
	re, err := s.api.Refunds.New(&stripe.RefundParams{Charge: stripe.String(r.charge), Amount: stripe.Int64(300)})
	if err != nil {
		t.Fatalf("refund at the sandbox: %v", err)
	}
	for i, sc := range screens {
		if err := sc.poll(marks[i], re.ID, "refund.created"); err != nil {
			t.Fatal(err)
		}
	}

	// Sessions whose client just goes away release their feed queue:
	// the goroutines waiting on it return.
	waiting := busWaiters()
	for _, sc := range screens[:sessions/2] {
		sc.client.Close()
	}
	deadline := time.Now().Add(serveWait)
	for busWaiters() > waiting-sessions/2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := busWaiters(); n > waiting-sessions/2 {
		t.Fatalf("%d goroutines wait on the change feed after %d of %d sessions dropped, want at most %d",
			n, sessions/2, sessions, waiting-sessions/2)
	}
	screens = screens[sessions/2:]

	s.stop()
	for _, sc := range screens {
		select {
		case <-sc.waited:
		case <-time.After(serveWait):
			t.Fatalf("%s still open after serve stopped", sc.name)
		}
		if !strings.Contains(sc.errOut.String(), "the server is shutting down") {
			t.Fatalf("%s ended without the shutdown notice: %q", sc.name, sc.errOut.String())
		}
	}
}
