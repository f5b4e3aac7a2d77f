package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// thinReason is the receipt reason of a recorded thin event.
const thinReason = "thin event: recorded; its related object is not carried, nothing applied"

// connectReason is the receipt reason of a recorded Connect event.
func connectReason(account string) string {
	return "connected account " + account + ": recorded, not applied to the platform's cache"
}

// thinObject is Stripe's "v2.core.event" object name.
const thinObject = "v2.core.event"

// isThinEvent reports whether raw's top-level object is "v2.core.event",
// without decoding the whole payload.
func isThinEvent(raw []byte) bool {
	if !bytes.Contains(raw, []byte(thinObject)) {
		return false
	}
	var head struct {
		Object string `json:"object"`
	}
	return json.Unmarshal(raw, &head) == nil && head.Object == thinObject
}

// parseThinEvent reads a thin event (https://docs.stripe.com/event-destinations#thin-events):
// id, type, created as an RFC 3339 time (UTC), and related_object {id, type}
// in place of data.object. The related object's id becomes ObjectID so the
// delivery log and the object filter find it; Kind stays empty (a v2 type
// such as "billing.meter" is not a cached kind).
func parseThinEvent(raw []byte) (ApplyResult, error) {
	var ev struct {
		ID            string `json:"id"`
		Type          string `json:"type"`
		Created       string `json:"created"`
		Context       string `json:"context"`
		RelatedObject *struct {
			ID   string `json:"id"`
			Type string `json:"type"`
		} `json:"related_object"`
	}
	if err := json.Unmarshal(raw, &ev); err != nil {
		return ApplyResult{}, fmt.Errorf("%w: thin event: %v", ErrMalformedEvent, err)
	}
	at, err := time.Parse(time.RFC3339Nano, ev.Created)
	if ev.ID == "" || ev.Type == "" || err != nil || at.Unix() <= 0 {
		return ApplyResult{}, fmt.Errorf("%w: thin event: missing id, type or RFC 3339 created", ErrMalformedEvent)
	}
	res := ApplyResult{EventID: ev.ID, Type: ev.Type, Created: at.Unix(), Thin: true}
	if ev.RelatedObject != nil {
		res.ObjectID = ev.RelatedObject.ID
	}
	if len(ev.Context) > 5 && ev.Context[:5] == "acct_" {
		res.Account = ev.Context
	}
	return res, nil
}
