package main

// Step is one key press and the text the screen must show after it.
type Step struct {
	Key  string // a tmux send-keys key name: "Enter", "Escape", "6", "/"
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
	{Name: "dunning", Cols: 120, Rows: 36, Steps: []Step{{Key: "6", Want: "Worklist"}}, Want: "At-risk MRR"},
	{Name: "webhooks", Cols: 120, Rows: 36, Steps: []Step{{Key: "7", Want: "VERDICT"}}, Want: "applied"},
	{Name: "narrow-80x24", Cols: 80, Rows: 24, Steps: []Step{{Key: "3", Want: "Invoices"}}, Want: "Invoices"},
}
