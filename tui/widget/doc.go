// Package widget holds the small pieces paydesk's pages share: fitting text
// into cells and keeping a cursor inside a scrolled window (the hand-drawn
// Dunning and Webhooks lists), and the cursor keys every list binds the
// same way (those two, the resource table and Audit). It has no state of
// its own and imports nothing of ours.
package widget
