package main

import (
	"flag"

	"github.com/paydesk/paydesk/tui/cli"
)

// confirmFlags registers a money command's --yes (with the command's own
// wording) and --again, which sends a request of the same money as one
// that succeeded within billing.RepeatWindow (same action, target, amount
// and currency, whatever its note or reason: billing.ActionSpec.Repeat);
// without it such a request is refused, naming the earlier one and its
// result.
func confirmFlags(fs *flag.FlagSet, c *cli.Confirm, yesUsage string) {
	fs.BoolVar(&c.Yes, "yes", false, yesUsage)
	fs.BoolVar(&c.Again, "again", false, "with --yes: send it even though the same amount on the same target went through in the last 24 hours (whatever the note)")
}
