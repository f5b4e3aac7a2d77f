// Package format turns cached values into the text every paydesk screen
// shows: money with its currency's exponent, times relative to the
// session's clock, and short ids. It has no state and no styling, so list
// rows, detail pages, forms and the CLI all print the same thing.
package format
