package storage

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// IntentState is where a money mutation stands.
type IntentState string

const (
	IntentPending   IntentState = "pending"   // written, Stripe call not known to have finished
	IntentSucceeded IntentState = "succeeded" // Stripe answered 2xx
	IntentFailed    IntentState = "failed"    // Stripe refused it; safe to fix and send anew with a new key
	IntentPlanned   IntentState = "planned"   // shown by a dry run, never sent; the identical request sends it with its key
)

// Intent is a mutation written down before its Stripe call, so every retry,
// resume or restart sends the same idempotency key.
type Intent struct {
	Key       string          `json:"key"` // the Idempotency-Key sent to Stripe
	Operator  string          `json:"operator"`
	Action    string          `json:"action"` // refund, credit, plan_change, ...
	Target    string          `json:"target"` // the Stripe id acted on
	Params    json.RawMessage `json:"params"`
	Amount    int64           `json:"amount,omitempty"`
	Currency  string          `json:"currency,omitempty"`
	State     IntentState     `json:"state"`
	Attempts  int             `json:"attempts"`
	CreatedAt int64           `json:"created_at"`
	UpdatedAt int64           `json:"updated_at"`
	RequestID string          `json:"request_id,omitempty"`
	ResultID  string          `json:"result_id,omitempty"`
	Error     string          `json:"error,omitempty"`
}

// CreateIntent stores a new intent; it fails if the key exists, so two
// submissions of one form can never become two intents. A stored intent is
// announced (OpIntent).
func (s *Store) CreateIntent(in Intent) error {
	if in.Key == "" {
		return fmt.Errorf("create intent: empty key")
	}
	err := s.update(func(tx *bolt.Tx) error {
		r := root(tx)
		b := r.Bucket(bucketIntents)
		if b.Get([]byte(in.Key)) != nil {
			return fmt.Errorf("create intent %s: already exists", in.Key)
		}
		now := s.wallNow()
		if in.CreatedAt == 0 {
			in.CreatedAt = now
		}
		in.UpdatedAt = now
		if in.State == "" {
			in.State = IntentPending
		}
		log := r.Bucket(bucketIntentLog)
		seq, err := log.NextSequence()
		if err != nil {
			return fmt.Errorf("create intent: %w", err)
		}
		if err := log.Put(be64(seq), []byte(in.Key)); err != nil {
			return fmt.Errorf("create intent: %w", err)
		}
		return putJSON(b, []byte(in.Key), in)
	})
	s.announceIntent(in.Key, err)
	return err
}

// UpdateIntent rewrites an existing intent (state, attempts, outcome) and
// announces it (OpIntent).
func (s *Store) UpdateIntent(in Intent) error {
	err := s.update(func(tx *bolt.Tx) error {
		b := root(tx).Bucket(bucketIntents)
		if b.Get([]byte(in.Key)) == nil {
			return fmt.Errorf("update intent %s: %w", in.Key, ErrNotFound)
		}
		in.UpdatedAt = s.wallNow()
		return putJSON(b, []byte(in.Key), in)
	})
	s.announceIntent(in.Key, err)
	return err
}

func (s *Store) announceIntent(key string, err error) {
	if err == nil {
		s.feed.publish(Change{Op: OpIntent, Intent: key})
	}
}

// Intent returns the intent stored under key.
func (s *Store) Intent(key string) (Intent, error) {
	var in Intent
	err := s.view(func(tx *bolt.Tx) error {
		b := root(tx).Bucket(bucketIntents)
		if b.Get([]byte(key)) == nil {
			return fmt.Errorf("intent %s: %w", key, ErrNotFound)
		}
		return getJSON(b, []byte(key), &in)
	})
	return in, err
}

// Intents lists up to limit intents, newest first; with state set, only those.
// With a state, intents in other states are skipped without being decoded
// (a new money plan checks for pending intents on its target on every
// prepare), walking the intents in key order.
func (s *Store) Intents(state IntentState, limit int) ([]Intent, error) {
	if state != "" {
		return s.intentsIn(state, limit)
	}
	var out []Intent
	err := s.view(func(tx *bolt.Tx) error {
		r := root(tx)
		b := r.Bucket(bucketIntents)
		c := r.Bucket(bucketIntentLog).Cursor()
		for k, key := c.Last(); k != nil && len(out) < limit; k, key = c.Prev() {
			var in Intent
			if err := getJSON(b, key, &in); err != nil {
				return err
			}
			if in.Key != "" {
				out = append(out, in)
			}
		}
		return nil
	})
	return out, err
}

// intentsIn is Intents for one state: a sequential walk of the intents
// that decodes only those whose JSON holds the state, newest first.
func (s *Store) intentsIn(state IntentState, limit int) ([]Intent, error) {
	var out []Intent
	// encoding/json writes the field exactly so; a stray match is decoded
	// and filtered like any other.
	want := []byte(`"state":"` + string(state) + `"`)
	err := s.view(func(tx *bolt.Tx) error {
		return root(tx).Bucket(bucketIntents).ForEach(func(k, v []byte) error {
			if !bytes.Contains(v, want) {
				return nil
			}
			var in Intent
			if err := json.Unmarshal(v, &in); err != nil {
				return fmt.Errorf("decode %s: %w", k, err)
			}
			if in.Key != "" && in.State == state {
				out = append(out, in)
			}
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b Intent) int {
		return cmp.Or(cmp.Compare(b.CreatedAt, a.CreatedAt), cmp.Compare(b.Key, a.Key))
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, err
}

// AuditRecord is one line of the append-only audit log.
type AuditRecord struct {
	Seq       uint64 `json:"seq"`
	At        int64  `json:"at"` // unix seconds
	Operator  string `json:"operator"`
	Action    string `json:"action"`
	Target    string `json:"target"`
	Amount    int64  `json:"amount,omitempty"`
	Currency  string `json:"currency,omitempty"`
	Key       string `json:"idempotency_key,omitempty"`
	RequestID string `json:"request_id,omitempty"`
	Outcome   string `json:"outcome"` // succeeded, failed, refused, ...
	// Variant tells apart what one action did ("undo", "now", "submit",
	// "draft"); empty when the action has one form.
	Variant string `json:"variant,omitempty"`
	Detail  string `json:"detail,omitempty"`
}

// AppendAudit adds a record (At defaults to now) and announces it (OpAudit).
func (s *Store) AppendAudit(rec AuditRecord) (uint64, error) {
	var seq uint64
	err := s.update(func(tx *bolt.Tx) error {
		b := root(tx).Bucket(bucketAudit)
		var err error
		if seq, err = b.NextSequence(); err != nil {
			return err
		}
		rec.Seq = seq
		if rec.At == 0 {
			rec.At = s.wallNow()
		}
		return putJSON(b, be64(seq), rec)
	})
	if err != nil {
		return 0, fmt.Errorf("append audit: %w", err)
	}
	s.feed.publish(Change{Op: OpAudit})
	return seq, nil
}

// Audit lists up to limit records before seq (0: the newest), newest first.
func (s *Store) Audit(beforeSeq uint64, limit int) ([]AuditRecord, error) {
	var out []AuditRecord
	err := s.view(func(tx *bolt.Tx) error {
		c := root(tx).Bucket(bucketAudit).Cursor()
		for k, v := seekBefore(c, beforeSeq); k != nil && len(out) < limit; k, v = c.Prev() {
			var rec AuditRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("audit log: %w", err)
			}
			out = append(out, rec)
		}
		return nil
	})
	return out, err
}
