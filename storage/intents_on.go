package storage

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// IntentsOn lists the intents of action on target that are in one of
// states, newest first (a money plan looks for a dry run's intent and an
// identical recent request on its target on every prepare). One walk
// decodes only the intents whose JSON holds the target and the action, so
// its cost is a byte search per stored intent.
func (s *Store) IntentsOn(action, target string, states ...IntentState) ([]Intent, error) {
	var needles [][]byte
	for _, kv := range [][2]string{{"target", target}, {"action", action}} {
		v, err := json.Marshal(kv[1])
		if err != nil {
			return nil, fmt.Errorf("intents on %s: %w", target, err)
		}
		needles = append(needles, append([]byte(`"`+kv[0]+`":`), v...))
	}
	var out []Intent
	err := s.view(func(tx *bolt.Tx) error {
		return root(tx).Bucket(bucketIntents).ForEach(func(k, v []byte) error {
			for _, n := range needles {
				if !bytes.Contains(v, n) {
					return nil
				}
			}
			var in Intent
			if err := json.Unmarshal(v, &in); err != nil {
				return fmt.Errorf("decode %s: %w", k, err)
			}
			if in.Key != "" && in.Action == action && in.Target == target && slices.Contains(states, in.State) {
				out = append(out, in)
			}
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b Intent) int {
		return cmp.Or(cmp.Compare(b.CreatedAt, a.CreatedAt), cmp.Compare(b.Key, a.Key))
	})
	return out, err
}
