package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/tui/cli"
	"github.com/paydesk/paydesk/tui/common"
)

// getOptions holds get's flags and its ID argument.
type getOptions struct {
	config
	id     string
	asJSON bool
}

// cmdGet parses the command line of `paydesk get` and runs runGet.
func cmdGet(args []string, stdout, stderr io.Writer) error {
	var o getOptions
	fs := flag.NewFlagSet("get", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &o.config)
	fs.BoolVar(&o.asJSON, "json", false, "the Stripe object on one line")
	var err error
	if o.id, err = parsePositional(fs, args); err != nil {
		return err
	}
	return runGet(o, stdout, stderr)
}

// runGet prints one cached object by id.
func runGet(o getOptions, stdout, stderr io.Writer) error {
	c, id := o.config, o.id
	if id == "" {
		return usageErr("get needs an id (cus_..., sub_..., in_..., ch_..., re_..., dp_...)")
	}
	store, err := openCacheReader(c)
	if err != nil {
		return err
	}
	defer store.Close()
	env, err := store.Find(id)
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("%s: check the id, or run `paydesk sync`", common.NotCached(id))
	}
	if err != nil {
		return fmt.Errorf("get %s: %w", id, err)
	}
	return cli.Object(stdout, env, o.asJSON, func(t int64) string { return time.Unix(t, 0).Format(time.RFC3339) })
}
