package storage

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestMigrateKindBucketsV6: a cache made before credit notes were cached
// (schema 5, no credit_note buckets) opens with them, and lists no credit
// notes instead of failing.
func TestMigrateKindBucketsV6(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		r := root(tx)
		if err := r.Bucket(bucketObjects).DeleteBucket([]byte(KindCreditNote)); err != nil {
			return err
		}
		if err := r.Bucket(bucketIdx).DeleteBucket([]byte(KindCreditNote)); err != nil {
			return err
		}
		return r.Bucket(bucketMeta).Put(metaSchema, be64(5))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.List(Query{Kind: KindCreditNote}); err == nil {
		t.Fatal("the v5 file lists credit notes without their buckets")
	}
	s.Close()
	if s, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.Schema(); v != SchemaVersion {
		t.Fatalf("schema %d, want %d", v, SchemaVersion)
	}
	if p, err := s.List(Query{Kind: KindCreditNote}); err != nil || len(p.Items) != 0 {
		t.Fatalf("credit notes after the migration: %+v %v", p, err)
	}
}
