package sandbox

import (
	"encoding/json"
	"strings"
)

const stripeAPIVersion = "2023-10-16"

type eventRequest struct {
	ID             string `json:"id"`
	IdempotencyKey string `json:"idempotency_key"`
}

type storedEvent struct {
	created int64
	typ     string
	raw     []byte
}

// eventLog keeps the newest max events; seq numbers keep counting so ids of
// dropped events stay unique.
type eventLog struct {
	max   int
	first int // sequence number of evs[0]
	evs   []storedEvent
	// collect, when non-nil, receives the id of every emitted event (Advance).
	collect *[]string
}

func (l *eventLog) add(e storedEvent) {
	l.evs = append(l.evs, e)
	if over := len(l.evs) - l.max; over > 0 {
		l.first += over
		l.evs = l.evs[over:]
		if cap(l.evs) > 2*l.max {
			l.evs = append([]storedEvent(nil), l.evs...)
		}
	}
}

// emit records a snapshot event and queues it for every webhook endpoint.
func (s *Server) emit(typ string, obj map[string]any, prev map[string]any, req *eventRequest) string {
	seq := s.events.first + len(s.events.evs)
	id := s.ids.id(kEvent, uint32(seq))
	created := s.unix()
	data := map[string]any{"object": obj}
	if prev != nil {
		data["previous_attributes"] = prev
	}
	var reqBlock any = map[string]any{"id": nil, "idempotency_key": nil}
	if req != nil {
		rb := map[string]any{"id": req.ID, "idempotency_key": nil}
		if req.IdempotencyKey != "" {
			rb["idempotency_key"] = req.IdempotencyKey
		}
		reqBlock = rb
	}
	ev := map[string]any{
		"id":               id,
		"object":           "event",
		"api_version":      stripeAPIVersion,
		"created":          created,
		"data":             data,
		"livemode":         false,
		"pending_webhooks": s.hooks.count(typ),
		"request":          reqBlock,
		"type":             typ,
	}
	raw, err := json.MarshalIndent(ev, "", "  ")
	if err != nil {
		s.log.Error("sandbox: rendering event", "type", typ, "err", err)
		return ""
	}
	s.events.add(storedEvent{created: created, typ: typ, raw: raw})
	if s.events.collect != nil {
		*s.events.collect = append(*s.events.collect, id)
	}
	s.hooks.publish(typ, raw)
	return id
}

func (s *Server) listEvents(c *call) (any, *apiError) {
	typ := c.p.str("type")
	types := c.p.list("types")
	if typ != "" && len(types) > 0 {
		return nil, invalidRequest("types", "You may only specify one of these parameters: type, types.")
	}
	if len(types) > 20 {
		return nil, invalidRequest("types", "You may pass at most 20 types.")
	}
	if typ != "" {
		types = []string{typ}
	}
	evs := s.events.evs
	spec := listSpec{
		url: "/v1/events", kind: kEvent, what: "event", n: len(evs), base: s.events.first,
		created: func(i int) int64 { return evs[i].created },
		render:  nil,
	}
	if len(types) > 0 {
		spec.match = func(i int) bool { return typeMatches(types, evs[i].typ) }
	}
	spec.render = func(i int) map[string]any { return map[string]any{"raw": json.RawMessage(evs[i].raw)} }
	out, e := c.list(spec)
	if e != nil {
		return nil, e
	}
	// Events are stored rendered: splice the raw JSON in.
	env := out.(map[string]any)
	data := env["data"].([]any)
	for k, d := range data {
		data[k] = d.(map[string]any)["raw"]
	}
	b, err := json.Marshal(env)
	if err != nil {
		return nil, internalError(err)
	}
	return b, nil
}

func typeMatches(types []string, t string) bool {
	for _, want := range types {
		if want == t || want == "*" {
			return true
		}
		if p, ok := strings.CutSuffix(want, "*"); ok && strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

func (s *Server) getEvent(c *call) (any, *apiError) {
	seq, ok := s.ids.parse(kEvent, c.id())
	i := int(seq) - s.events.first
	if !ok || i < 0 || i >= len(s.events.evs) {
		return nil, missing("event", c.id())
	}
	return s.events.evs[i].raw, nil
}
