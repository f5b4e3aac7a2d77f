// Command paydesk is a terminal console for a Stripe account's billing.
//
// main.go only dispatches: each command lives in its own cmd_<name>.go (a
// flags struct, the parser and a run function); runtime.go's Open builds
// what a cache-owning process runs (cache, Stripe client, webhook receiver,
// background sync) for the console, serve, events --follow and demo. The
// work itself lives in storage, billing, webhookd and tui.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage/safetext"
)

const usage = `paydesk: a terminal console for a Stripe account's billing

Usage:
  paydesk [tui]            open the console on the cache (default)
  paydesk demo             console on a seeded local sandbox; no keys, no network
  paydesk serve            webhook receiver + sync + console over SSH for a team
  paydesk sync             backfill the cache from Stripe, then catch up on events
  paydesk ls KIND          list cached objects (customers, subs, invoices, ...)
  paydesk get ID           print one cached object
  paydesk events           print the webhook delivery log (--follow to stream)
  paydesk refund CHARGE    refund a charge or payment intent (prints the plan; sends with --yes)
  paydesk credit CUSTOMER  adjust a customer's credit balance (prints the plan; sends with --yes)
  paydesk customer edit CUSTOMER  change a customer's email, name, phone, address, description or note (--yes sends)
  paydesk portal-link CUSTOMER    create a billing-portal link and print its url (--yes creates it)
  paydesk invoice VERB ID  finalize or delete (VERB) a draft invoice, or void an open one (prints the plan; sends with --yes)
  paydesk invoice new CUSTOMER --item "AMOUNT DESCRIPTION"...  bill a one-off invoice (--yes sends)
  paydesk invoice link ID  print an invoice's hosted payment page url (reads the cache)
  paydesk discount ID      apply (--code) or remove (--remove) a customer's or subscription's discount (--yes sends)
  paydesk trial SUB        end a trial now (--now) or move its end (--end DATE) (--yes sends)
  paydesk dispute VERB ID  accept (VERB, close as lost) a dispute (prints the plan; sends with --yes)
  paydesk credit-note ID   credit an open or paid invoice, or "void CN_ID" (prints the plan; sends with --yes)

Run "paydesk COMMAND -h" for a command's flags.

Environment:
  STRIPE_SECRET_KEY      secret (sk_) or restricted (rk_) key; without one, paydesk browses the cache offline
  STRIPE_WEBHOOK_SECRET  endpoint signing secret(s), comma-separated while rolling
  STRIPE_API_BASE        API base URL override (a sandbox or stripe-mock)
  PAYDESK_DB             cache file (default $XDG_DATA_HOME/paydesk/<account>.db)
  PAYDESK_ACCOUNT        account name used in the default cache path (default "default")
  PAYDESK_WEBHOOK_ADDR   webhook receiver address (default 127.0.0.1:8787)
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches one command line and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runContext(ctx, args, stdout, stderr)
}

// runContext is run with the context that stops long-running commands
// (serve, demo --serve, events --follow): a signal in the program, the test
// in tests.
func runContext(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := "tui"
	if len(args) > 0 && isHelpFlag(args[0]) { // "paydesk --help" asks about paydesk, not the console's flags
		cmd, args = "help", args[1:]
	} else if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "tui":
		err = cmdTUI(ctx, args, stdout, stderr)
	case "demo":
		err = cmdDemo(ctx, args, stdout, stderr)
	case "serve":
		err = cmdServe(ctx, args, stdout, stderr)
	case "sync":
		err = cmdSync(ctx, args, stdout, stderr)
	case "ls":
		err = cmdList(args, stdout, stderr)
	case "get":
		err = cmdGet(args, stdout, stderr)
	case "events":
		err = cmdEvents(ctx, args, stdout, stderr)
	case "refund":
		err = cmdRefund(ctx, args, stdout, stderr)
	case "credit":
		err = cmdCredit(ctx, args, stdout, stderr)
	case "customer":
		err = cmdCustomer(ctx, args, stdout, stderr)
	case "portal-link":
		err = cmdPortalLink(ctx, args, stdout, stderr)
	case "invoice":
		err = cmdInvoice(ctx, args, stdout, stderr)
	case "dispute":
		err = cmdDispute(ctx, args, stdout, stderr)
	case "credit-note":
		err = cmdCreditNote(ctx, args, stdout, stderr)
	case "discount":
		err = cmdDiscount(ctx, args, stdout, stderr)
	case "trial":
		err = cmdTrial(ctx, args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "paydesk: unknown command %q: \"paydesk help\" lists the commands\n", cmd)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "paydesk %s: %s\n", cmd, safetext.Text(err.Error()))
		return 2
	default:
		// Errors carry Stripe's messages and ids: they pass the same
		// boundary as everything else printed.
		fmt.Fprintf(stderr, "paydesk %s: %s\n", cmd, safetext.Text(explain(err)))
		return 1
	}
}

// explain words an error for the operator: Stripe failures through
// billing.Explain, with what to do when Stripe cannot be reached.
func explain(err error) string {
	if errors.Is(err, billing.ErrOutcomeUnknown) || errors.Is(err, billing.ErrEarlierUnknown) {
		// A money action: its own words, and how to settle it.
		return billing.ExplainAction(err) + " Run the same command again: it looks the request up on Stripe before anything is sent."
	}
	if billing.IsOffline(err) {
		return "Stripe is unreachable: check the network (or STRIPE_API_BASE); the cache keeps what it has and the next sync resumes where this one stopped."
	}
	return billing.Explain(err)
}

// isHelpFlag reports whether arg asks for help the way flag does (-h,
// -help, --help).
func isHelpFlag(arg string) bool {
	switch arg {
	case "-h", "-help", "--help":
		return true
	}
	return false
}

// errUsage marks a bad command line (exit code 2).
var errUsage = errors.New("usage")

func usageErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}
