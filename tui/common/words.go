package common

import "errors"

// The console's standing phrases, worded once here so every page, toast
// and command says them the same way.

// ErrNoMoney: the session has a Stripe client but was given no money
// actions (Common.Money is nil).
var ErrNoMoney = errors.New("money actions are not wired in this session")

// offlineWords is why a session with a key cannot call Stripe.
const offlineWords = "offline: Stripe is unreachable, browsing the cache"

// NotCached words an object id the cache does not hold ("cus_X is not in
// the cache").
func NotCached(id string) string { return id + " is not in the cache" }
