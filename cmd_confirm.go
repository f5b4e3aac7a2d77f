package main

import (
	"flag"

	"github.com/paydesk/paydesk/tui/cli"
)

// confirmFlags registers a money command's --yes (with the command's own
// wording) and --again, which sends a request identical to one that
// succeeded within billing.RepeatWindow (without it such a re-run is
// refused, naming the earlier one and its result).
func confirmFlags(fs *flag.FlagSet, c *cli.Confirm, yesUsage string) {
	fs.BoolVar(&c.Yes, "yes", false, yesUsage)
	fs.BoolVar(&c.Again, "again", false, "with --yes: send it even though an identical request went through in the last 24 hours")
}
