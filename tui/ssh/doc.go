// Package ssh serves the paydesk console to a team over SSH (`paydesk
// serve`), with charmbracelet/wish. Every SSH session gets its own
// tea.Program (wish's bubbletea middleware, alt screen), its own window size
// and a lipgloss renderer made by bm.MakeRenderer so colours follow the
// client's terminal, and its own queue on the store's change feed. The model a
// session runs is built by a factory the caller gives to New; this package
// knows nothing of the console's pages.
//
// # Wiring (main.go, `paydesk serve`)
//
//	srv, err := ssh.New(ssh.Config{
//		Addr:               flagAddr, // default 127.0.0.1:2222
//		HostKeyPath:        filepath.Join(dataDir, "ssh_host_ed25519"),
//		AuthorizedKeysPath: filepath.Join(configDir, "authorized_keys"),
//		Logger:             logger,
//	}, func(sess ssh.Session) (tea.Model, error) {
//		c := common.New(common.Common{
//			Store: store, Billing: client, Receiving: true, Account: acct, Mode: mode,
//			Operator: sess.Operator(), Authorize: sess.Authorize, Renderer: sess.Renderer,
//			Width: sess.Width, Height: sess.Height, Logger: logger,
//		})
//		return tui.New(c), nil // subscribes to store's feed; sess.Authorize is asked before each mutation
//	})
//	go srv.ListenAndServe()
//	defer srv.Shutdown(ctx)
//
// # Access
//
// Public keys only: the server sets no password and no keyboard-interactive
// handler, so the SSH layer never offers those methods. Keys and their roles
// come from an authorized-keys file in the standard OpenSSH line format with
// one required option, role:
//
//	# comment lines and blank lines are ignored
//	role=finance ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI… ana@laptop
//	role="viewer" ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ… intern@desk
//
// The role is one of viewer, support, finance, admin (billing.ParseRole).
// A line with a missing or unknown role, any other option (from=,
// command=, no-pty…, which paydesk would not enforce), an unparsable key or
// a key already listed earlier is rejected: the reason is logged with the
// line number and the rest of the file still loads. The key's comment names
// the operator; a key without a comment is named by its fingerprint.
//
// The file is read again whenever its content changed (checked on every
// authentication attempt, every action-time check and every
// Config.RecheckInterval), so edits take effect without a restart:
//   - a removed key is refused on its next connection, and its open
//     sessions are closed at the next recheck;
//   - a changed role is what Authorize answers from then on, and open
//     sessions receive an OperatorChangedMsg.
//
// A missing or unreadable file refuses everyone until it is readable again.
//
// # Identity and action-time checks
//
// A session's Identity is the key's comment, its SHA256 fingerprint and its
// role when the session opened. Session.Operator returns it as the
// billing.Operator written to intents and the audit log:
// Name "ana@laptop (SHA256:…)", Role the key's role.
//
// The role in that snapshot can go stale while the session is open, so the
// console must re-check at action time, just before a mutation is recorded:
//
//	op, err := sess.CurrentOperator() // re-reads the file
//	if err == nil { err = op.Authorize(billing.ActionRefund) }
//
// or simply sess.Authorize(billing.ActionRefund). The factory hands this to
// the console as a function (for example a `Recheck func(billing.Action)
// error` in common.Common, or a billing hook called before the intent is
// written), so a key downgraded from finance to viewer cannot refund from
// a session opened before the change. The error wraps billing.ErrForbidden.
//
// # Limits
//
// Config.MaxSessions bounds concurrent sessions (one more gets "too many
// sessions" and exit status 1); Config.ConnRate and ConnBurst are a token
// bucket on accepted TCP connections (a connection beyond it is closed
// before the SSH handshake, after a one-line notice); Config.IdleTimeout
// closes a session whose operator typed nothing for that long (output such
// as live events does not count as activity) and also bounds silent
// connections; Config.MaxTimeout bounds any connection. A session without a
// PTY gets "paydesk needs a terminal: ssh -t …" on stderr and exit status 1.
//
// The renderer is made by bm.MakeRenderer, which asks the client terminal
// for its background colour. Read straight from the session, a client that
// never answers (a script holding a PTY) would see nothing until its first
// keystroke, and lose it; here one pump reads the session's input for both
// the query (given up after one second) and the program, so it gets the
// console after a second and keeps every keystroke.
//
// # Live events
//
// The console's root model subscribes to the store's change feed itself
// (storage.Store.Subscribe). A model that does not, when Config.Feed is set,
// gets its own queue of Config.BusBuffer changes (Session.Notices) and the
// server closes that subscription when the session ends. The feed never blocks:
// a session that does not read (a stalled terminal, a busy model) loses
// notices once its queue is full and its next notice carries Reload, while
// every other session keeps receiving. Such a model reads Session.Notices
// one change per tea.Cmd and re-arms.
package ssh
