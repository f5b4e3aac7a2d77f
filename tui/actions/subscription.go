package actions

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/huh"

	"github.com/paydesk/paydesk/billing"
	"github.com/paydesk/paydesk/storage"
	"github.com/paydesk/paydesk/storage/stripejson"
	"github.com/paydesk/paydesk/tui/common"
	"github.com/paydesk/paydesk/tui/format"
)

// subFacts is what the cancel and pause forms show about a subscription.
type subFacts struct {
	id, customer, status string
	periodEnd            int64
	cancelAtEnd          bool
	paused               string // pause_collection.behavior
}

func subFactsOf(env storage.Envelope) subFacts {
	var s stripejson.Subscription
	_ = json.Unmarshal(env.Raw, &s)
	f := subFacts{id: env.ID, customer: string(s.Customer), status: s.Status, periodEnd: s.CurrentPeriodEnd, cancelAtEnd: s.CancelAtPeriodEnd}
	if s.PauseCollection != nil {
		f.paused = s.PauseCollection.Behavior
	}
	return f
}

func (s subFacts) line(c *common.Common) string {
	l := "customer " + orDash(s.customer) + " · " + s.status
	if s.periodEnd > 0 {
		l += " · period ends " + format.Date(s.periodEnd, c.Loc)
	}
	if s.cancelAtEnd {
		l += " · cancels at period end"
	}
	if s.paused != "" {
		l += " · collection paused (" + s.paused + ")"
	}
	return l
}

// cancelForm cancels now, at period end, or undoes a cancel at period end.
type cancelForm struct {
	sub     subFacts
	mode    string
	comment string
}

func newCancelForm(env storage.Envelope) *cancelForm {
	f := &cancelForm{sub: subFactsOf(env), mode: billing.CancelAtPeriodEnd}
	if f.sub.cancelAtEnd {
		f.mode = billing.CancelUndo
	}
	return f
}

// heading follows the chosen mode, so the confirmation of an undo is not
// titled "Cancel".
func (f *cancelForm) heading() string {
	switch f.mode {
	case billing.CancelNow:
		return "Cancel " + f.sub.id + " now"
	case billing.CancelUndo:
		return "Withdraw the cancellation of " + f.sub.id
	}
	return "Cancel " + f.sub.id + " at period end"
}

func (f *cancelForm) target() string                                       { return f.sub.id }
func (f *cancelForm) load(context.Context, *common.Common) (func(), error) { return nil, nil }
func (f *cancelForm) info(c *common.Common) []string                       { return []string{f.sub.line(c)} }

func (f *cancelForm) fields(c *common.Common, fe *billing.FieldError) []huh.Field {
	return []huh.Field{
		huh.NewSelect[string]().Key("mode").Title("Cancellation").Options(
			huh.NewOption("at period end — keeps the paid period", billing.CancelAtPeriodEnd),
			huh.NewOption("now — ends it immediately, no refund of unused time", billing.CancelNow),
			huh.NewOption("undo — withdraw a cancellation at period end", billing.CancelUndo)).
			Value(&f.mode). // after Options: huh scrolls a select to its value when Options comes last, hiding the options above it
			Description(describe(c, "", "mode", fe)),
		multiLine("comment", "Comment", &f.comment, billing.MaxNoteLength,
			describe(c, "kept in cancellation_details", "comment", fe)),
	}
}

func (f *cancelForm) prepare(ctx context.Context, c *common.Common) (*billing.Plan, *billing.Preview, error) {
	p, err := c.Money.PrepareCancel(ctx, c.Operator, billing.CancelRequest{Subscription: f.sub.id, Mode: f.mode, Comment: f.comment})
	return p, nil, err
}

// pauseForm pauses or resumes payment collection.
type pauseForm struct {
	sub       subFacts
	mode      string // "pause" or "resume"
	behavior  string
	resumesAt string // YYYY-MM-DD, optional
}

func newPauseForm(env storage.Envelope) *pauseForm {
	f := &pauseForm{sub: subFactsOf(env), mode: "pause", behavior: billing.PauseBehaviors[0]}
	if f.sub.paused != "" {
		f.mode = "resume"
	}
	return f
}

func (f *pauseForm) heading() string                                      { return "Pause or resume collection of " + f.sub.id }
func (f *pauseForm) target() string                                       { return f.sub.id }
func (f *pauseForm) load(context.Context, *common.Common) (func(), error) { return nil, nil }
func (f *pauseForm) info(c *common.Common) []string                       { return []string{f.sub.line(c)} }

func (f *pauseForm) fields(c *common.Common, fe *billing.FieldError) []huh.Field {
	return []huh.Field{
		huh.NewSelect[string]().Key("mode").Title("Collection").Options(
			huh.NewOption("pause collection", "pause"), huh.NewOption("resume collection", "resume")).
			Value(&f.mode). // after Options: huh scrolls a select to its value when Options comes last, hiding the options above it
			Description(describe(c, "", "mode", fe)),
		huh.NewSelect[string]().Key("behavior").Title("While paused, invoices are").
			Options(optionsOf("", billing.PauseBehaviors...)...).Value(&f.behavior).
			Description(describe(c, "ignored when resuming", "behavior", fe)),
		checked(c, huh.NewInput().Key("resumes_at").Title("Resume automatically on (YYYY-MM-DD, optional)").Value(&f.resumesAt),
			"empty: until resumed by hand", "resumes_at", fe, func(s string) error { _, err := parseDay(s, c.Loc); return err }),
	}
}

func parseDay(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("write the date as YYYY-MM-DD")
	}
	return t, nil
}

func (f *pauseForm) prepare(ctx context.Context, c *common.Common) (*billing.Plan, *billing.Preview, error) {
	req := billing.PauseRequest{Subscription: f.sub.id, Resume: f.mode == "resume"}
	if !req.Resume {
		req.Behavior = f.behavior
		at, err := parseDay(f.resumesAt, c.Loc)
		if err != nil {
			return nil, nil, &billing.FieldError{Field: "resumes_at", Message: err.Error()}
		}
		req.ResumesAt = at
	}
	p, err := c.Money.PreparePause(ctx, c.Operator, req)
	return p, nil, err
}
