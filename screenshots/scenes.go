package main

// Step is one key press and the text the screen must show after it.
type Step struct {
	Key  string // a tmux send-keys key name: "Enter", "Escape", "Tab", "6"
	Text string // or text typed as it is
	Want string // text that must appear before the next step ("" = none)
}

// Scene is one picture: a demo started at a size, keys pressed in order.
type Scene struct {
	Name       string
	Cols, Rows int
	Steps      []Step
	Want       string // text the final frame must show
}

// demoArgs start every scene on the same account and frozen clock.
var demoArgs = []string{"demo", "--customers", "400", "--seed", "1", "--now", "2026-11-23T12:00:00Z", "--warmup", "72h", "--tick", "0"}

// Scenes are the pictures in the README, in order.
var Scenes = []Scene{
	{Name: "customers", Cols: 120, Rows: 36, Want: "Customers"},
	{Name: "customer-detail", Cols: 120, Rows: 36, Steps: []Step{{Key: "Enter", Want: "Balance transactions"}}, Want: "Subscriptions"},
	{Name: "refund-confirmation", Cols: 120, Rows: 36, Steps: []Step{
		{Key: "Enter", Want: "Balance transactions"},
		{Key: "Tab"}, {Key: "Tab"}, {Key: "Tab", Want: "> ch_"},
		{Key: "R", Want: "Amount (USD)"},
		{Text: "4.50"}, {Key: "Enter"},
		{Key: "Down"}, {Key: "Enter"},
		{Text: "Customer was charged twice for November"}, {Key: "Enter", Want: "Press y to send"},
	}, Want: "Refundable after"},
	{Name: "plan-change-preview", Cols: 120, Rows: 36, Steps: []Step{
		{Key: "2", Want: "Subscriptions"}, {Key: "f", Want: "status:active"},
		{Key: "Enter", Want: "Subscription sub_"},
		{Key: "P", Want: "New price"},
		{Key: "Down"}, {Key: "Down"}, {Key: "Down"}, {Key: "Down"}, {Key: "Enter"},
		{Key: "Enter"}, {Key: "Enter", Want: "Upcoming invoice with the change"},
	}, Want: "Amount due"},
	{Name: "dispute-evidence", Cols: 120, Rows: 36, Steps: []Step{
		{Key: "4", Want: "Disputes"}, {Key: "Enter", Want: "Evidence"},
		{Key: "E", Want: "Access activity log"},
		{Text: "Customer signed in 14 times after the purchase", Want: "signed in 14 times"},
	}, Want: "due by"},
	{Name: "dunning", Cols: 120, Rows: 36, Steps: []Step{{Key: "6", Want: "Worklist"}}, Want: "At-risk MRR"},
	{Name: "webhooks", Cols: 120, Rows: 36, Steps: []Step{{Key: "7", Want: "VERDICT"}}, Want: "applied"},
	{Name: "narrow-80x24", Cols: 80, Rows: 24, Steps: []Step{{Key: "3", Want: "Invoices"}}, Want: "Invoices"},
}
