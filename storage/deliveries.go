package storage

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Delivery is one webhook request as the delivery log keeps it. It never
// holds the signature header or a secret.
type Delivery struct {
	Seq        uint64  `json:"seq"`
	At         int64   `json:"at"` // unix nanoseconds the request arrived
	EventID    string  `json:"event_id,omitempty"`
	Type       string  `json:"type,omitempty"`
	Kind       Kind    `json:"kind,omitempty"`
	ObjectID   string  `json:"object_id,omitempty"`
	APIVersion string  `json:"api_version,omitempty"`
	Verdict    Verdict `json:"verdict"`
	Reason     string  `json:"reason,omitempty"`
	Status     int     `json:"status,omitempty"`     // HTTP status answered
	LatencyUS  int64   `json:"latency_us"`           // receive to commit, microseconds
	Source     string  `json:"source,omitempty"`     // "webhook", "catch-up", "replay"
	RemoteAddr string  `json:"remote,omitempty"`     // peer address
	Bytes      int     `json:"bytes,omitempty"`      // body size
	Secret     int     `json:"secret_idx,omitempty"` // which configured secret matched (1-based)
	Account    string  `json:"account,omitempty"`    // connected account of a Connect event
}

// fill copies what applying the event found into the receipt.
func (d *Delivery) fill(r ApplyResult) {
	d.EventID, d.Type, d.Kind, d.ObjectID, d.APIVersion = r.EventID, r.Type, r.Kind, r.ObjectID, r.APIVersion
	d.Account = r.Account
	if d.Verdict == "" {
		d.Verdict = r.Verdict
	}
	if d.Reason == "" {
		d.Reason = r.Reason
	}
}

// AppendDelivery logs a request that applied nothing (a rejected webhook)
// and announces it (OpDelivery).
func (s *Store) AppendDelivery(d Delivery) (uint64, error) {
	var seq uint64
	err := s.write(func(tx *bolt.Tx) error {
		var err error
		seq, err = appendDelivery(root(tx), d, s.opts.MaxDeliveries)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("append delivery: %w", err)
	}
	d.Seq = seq
	s.feed.publish(Change{Op: OpDelivery, Delivery: d, Result: ApplyResult{EventID: d.EventID, Type: d.Type,
		APIVersion: d.APIVersion, Kind: d.Kind, ObjectID: d.ObjectID, Verdict: d.Verdict, Reason: d.Reason}})
	return seq, nil
}

func appendDelivery(r *bolt.Bucket, d Delivery, limit int) (uint64, error) {
	log := r.Bucket(bucketDeliveries)
	seq, err := log.NextSequence()
	if err != nil {
		return 0, fmt.Errorf("delivery log: %w", err)
	}
	d.Seq = seq
	if err := putJSON(log, be64(seq), d); err != nil {
		return 0, err
	}
	meta := r.Bucket(bucketMeta)
	if err := addCount(meta, "deliveries", 1); err != nil {
		return 0, err
	}
	return seq, trimLog(log, meta, "deliveries", limit, nil)
}

// Deliveries lists up to limit receipts logged before seq (0: the newest), newest first.
func (s *Store) Deliveries(beforeSeq uint64, limit int) ([]Delivery, error) {
	var out []Delivery
	err := s.view(func(tx *bolt.Tx) error {
		c := root(tx).Bucket(bucketDeliveries).Cursor()
		for k, v := seekBefore(c, beforeSeq); k != nil && len(out) < limit; k, v = c.Prev() {
			var d Delivery
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("delivery log: %w", err)
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

// DeliveriesAfter lists up to limit receipts logged after seq, oldest first (a tail).
func (s *Store) DeliveriesAfter(afterSeq uint64, limit int) ([]Delivery, error) {
	var out []Delivery
	err := s.view(func(tx *bolt.Tx) error {
		c := root(tx).Bucket(bucketDeliveries).Cursor()
		for k, v := c.Seek(be64(afterSeq + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			var d Delivery
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("delivery log: %w", err)
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}
