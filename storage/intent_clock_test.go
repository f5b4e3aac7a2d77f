package storage

import (
	"testing"
	"time"
)

// TestIntentsStampWallTime: an intent's created and updated times and an
// audit record's time come from the wall clock (Options.Wall), while cache
// stamps follow the account's clock (Options.Now), which a demo or test
// clock runs ahead. Before, an intent created at 16:28 by billing's wall
// clock read "updated 2026-12-01 07:08" from the account clock a second
// later.
func TestIntentsStampWallTime(t *testing.T) {
	account := testNow.Add(15 * time.Hour)
	s := openTest(t, Options{Now: func() time.Time { return account }, Wall: func() time.Time { return testNow }})
	if err := s.CreateIntent(Intent{Key: "pd_1", Action: "refund", Target: "ch_1"}); err != nil {
		t.Fatal(err)
	}
	in, err := s.Intent("pd_1")
	if err != nil {
		t.Fatal(err)
	}
	in.State = IntentSucceeded
	if err := s.UpdateIntent(in); err != nil {
		t.Fatal(err)
	}
	if in, err = s.Intent("pd_1"); err != nil || in.CreatedAt != testNow.Unix() || in.UpdatedAt != testNow.Unix() {
		t.Fatalf("intent stamps %d / %d (%v), want the wall clock's %d", in.CreatedAt, in.UpdatedAt, err, testNow.Unix())
	}
	if _, err := s.AppendAudit(AuditRecord{Operator: "ada", Action: "refund", Target: "ch_1", Outcome: "succeeded"}); err != nil {
		t.Fatal(err)
	}
	recs, err := s.Audit(0, 1)
	if err != nil || len(recs) != 1 || recs[0].At != testNow.Unix() {
		t.Fatalf("audit records %+v (%v), want one at %d", recs, err, testNow.Unix())
	}
}
