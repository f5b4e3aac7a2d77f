package webhookd

import (
	"context"
	"time"
)

// RunPeriodic runs fn at once, then every interval until ctx ends; runs never
// overlap (a slow run delays the next instead of stacking). Errors go to
// onErr (may be nil) unless ctx has ended. main.go uses it to run billing's
// Events-API catch-up on start and every few minutes.
func RunPeriodic(ctx context.Context, every time.Duration, fn func(context.Context) error, onErr func(error)) {
	if every <= 0 {
		every = 5 * time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if ctx.Err() != nil {
			return
		}
		if err := fn(ctx); err != nil && onErr != nil && ctx.Err() == nil {
			onErr(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
