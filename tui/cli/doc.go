// Package cli prints the cache for scripts and pipes: the aligned tables of
// `paydesk ls`, the objects of `paydesk get`, JSON lines for jq, and the
// progress line of `paydesk sync`. It uses tui/format so a terminal shows
// the same money and times as the console.
package cli
