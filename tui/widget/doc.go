// Package widget holds the small pieces the hand-drawn list pages (Dunning,
// Webhooks) share: fitting text into cells, keeping a cursor inside a
// scrolled window, and the list keys every page binds the same way. It has
// no state of its own and imports nothing of ours.
package widget
