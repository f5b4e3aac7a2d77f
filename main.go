// Command paydesk is a terminal console for a Stripe account's billing.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "paydesk:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	return fmt.Errorf("no command yet")
}
