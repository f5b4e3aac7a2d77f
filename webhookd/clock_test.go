package webhookd

import "github.com/paydesk/paydesk/billing/sandbox/testclock"

// testNow is the clock of these tests, the receiver's included: the suite's
// anchor (testclock), moving with elapsed time so tolerances behave.
var testNow = testclock.Running()
