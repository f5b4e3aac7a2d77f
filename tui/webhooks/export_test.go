package webhooks

// EventText is the event JSON the detail page holds (all of it, not only
// what the viewport shows).
func (p *DetailPage) EventText() string { return p.event }

// DiffLines are the diff tab's lines.
func (p *DetailPage) DiffLines() []string { return p.diff }
