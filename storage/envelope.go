package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
)

// Envelope is one cached Stripe object: its raw JSON exactly as Stripe sent
// it, plus what the cache knows about that copy.
type Envelope struct {
	Fields
	// Raw is the Stripe JSON of the object.
	Raw json.RawMessage
	// EventCreated is the created time (unix seconds) of the event that wrote
	// this copy, or the fetch time of the backfill or refetch that did.
	EventCreated int64
	// CachedAt is when this copy was written (unix seconds, local clock).
	CachedAt int64
	// Stale marks a copy that must be refetched: a same-second conflict or an
	// event in another API version wrote it.
	Stale       bool
	StaleReason string
}

const (
	// envelopeVersion 2 adds status_at after amount; version 1 copies
	// (written before schema v3) are still read, with StatusAt 0.
	envelopeVersion = 2
	flagStale       = 1 << 0
	flagDeleted     = 1 << 1
)

var errShortEnvelope = errors.New("envelope: truncated")

// encodeEnvelope lays out: version, flags, event_created, cached_at, created,
// amount, status_at, then length-prefixed strings, then the raw JSON.
func encodeEnvelope(e *Envelope) []byte { return encodeEnvelopeVersion(e, envelopeVersion) }

// encodeEnvelopeVersion writes layout version v (1 lacks status_at); only
// tests write version 1, to build files as older paydesk left them.
func encodeEnvelopeVersion(e *Envelope, v byte) []byte {
	strs := [...]string{e.ID, string(e.Kind), e.Status, e.Customer, e.Charge, e.Subscription, e.Email, e.Name, e.Number, e.Currency, e.StaleReason}
	n := 2 + 5*binary.MaxVarintLen64 + len(e.Raw)
	for _, s := range strs {
		n += binary.MaxVarintLen64 + len(s)
	}
	b := make([]byte, 0, n)
	var flags byte
	if e.Stale {
		flags |= flagStale
	}
	if e.Deleted {
		flags |= flagDeleted
	}
	b = append(b, v, flags)
	b = binary.AppendVarint(b, e.EventCreated)
	b = binary.AppendVarint(b, e.CachedAt)
	b = binary.AppendVarint(b, e.Created)
	b = binary.AppendVarint(b, e.Amount)
	if v >= 2 {
		b = binary.AppendVarint(b, e.StatusAt)
	}
	for _, s := range strs {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return append(b, e.Raw...)
}

// decodeEnvelope copies everything out of b, so the result outlives the
// transaction b came from.
func decodeEnvelope(b []byte) (Envelope, error) {
	var e Envelope
	if len(b) < 2 {
		return e, errShortEnvelope
	}
	if b[0] != 1 && b[0] != envelopeVersion {
		return e, fmt.Errorf("envelope: unknown version %d", b[0])
	}
	flags := b[1]
	e.Stale = flags&flagStale != 0
	e.Deleted = flags&flagDeleted != 0
	ints := []*int64{&e.EventCreated, &e.CachedAt, &e.Created, &e.Amount}
	if b[0] >= 2 {
		ints = append(ints, &e.StatusAt)
	}
	b = b[2:]
	for _, p := range ints {
		v, n := binary.Varint(b)
		if n <= 0 {
			return e, errShortEnvelope
		}
		*p = v
		b = b[n:]
	}
	var kind string
	strs := [...]*string{&e.ID, &kind, &e.Status, &e.Customer, &e.Charge, &e.Subscription, &e.Email, &e.Name, &e.Number, &e.Currency, &e.StaleReason}
	for _, p := range strs {
		l, n := binary.Uvarint(b)
		if n <= 0 || uint64(len(b)-n) < l {
			return e, errShortEnvelope
		}
		*p = string(b[n : n+int(l)])
		b = b[n+int(l):]
	}
	e.Kind = Kind(kind)
	e.Raw = append(json.RawMessage(nil), b...)
	return e, nil
}

// envelopeEventCreated reads only the ordering stamp, for the hot path of
// ApplyEvent where the rest of the old copy is not needed.
func envelopeEventCreated(b []byte) (int64, bool) {
	if len(b) < 3 || (b[0] != 1 && b[0] != envelopeVersion) {
		return 0, false
	}
	v, n := binary.Varint(b[2:])
	return v, n > 0
}
