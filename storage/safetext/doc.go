// Package safetext is the one boundary between text that came from Stripe or
// a webhook (customer names, emails, descriptions, metadata, evidence,
// decline messages, event types, ids) and a terminal.
//
// Every surface passes such text through it before drawing: Line for a value
// on one line (table cells, detail fields, toasts, form defaults, CLI
// columns), JSON for a Stripe object shown as JSON, Walk for a decoded Stripe
// struct whose strings are drawn later. What a terminal would act on — C0
// controls (TAB, LF and CR included), DEL, C1 controls (U+0080-U+009F), bidi
// overrides and isolates (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F,
// U+061C), line and paragraph separators, other invisible format characters
// and invalid UTF-8 — is written visibly as a Go/JSON-style escape
// (`\u001b`, `\xff`), never as the byte itself. Zero-width joiners and
// non-joiners stay, so emoji families and scripts that need them keep their
// shape.
//
// Widths are terminal cells measured by grapheme cluster (Width, Trunc, via
// charmbracelet/x/ansi). Frame is the console's last guard: it drops every
// escape sequence except SGR styling, so a string that skipped the boundary
// still cannot move the cursor, retitle the window or write the clipboard.
// Scan reports what in an output a terminal would act on besides SGR
// styling; tests assert it finds nothing.
//
// It imports nothing of paydesk's and lives under storage, the bottom layer,
// so that every layer that draws text (webhookd's events --follow, tui, the
// CLI) can import it without an arrow pointing up.
package safetext
