package resources

import "testing"

// A pause that resumes before a bill does not touch that bill: the next
// bill of a subscription paused until the 10th and billed on the 27th is
// charged, and the page must not say "nothing is charged".
func TestPauseAtTheBillDate(t *testing.T) {
	var s subscriptionJSON
	s.PauseCollection = &struct {
		Behavior  string `json:"behavior"`
		ResumesAt int64  `json:"resumes_at"`
	}{Behavior: "keep_as_draft", ResumesAt: 1_000}
	if got := pauseAt(s, 2_000); got != "" {
		t.Fatalf("billed after the resume: %q", got)
	}
	if got := pauseAt(s, 500); got == "" {
		t.Fatal("billed during the pause: nothing said")
	}
	s.PauseCollection.ResumesAt = 0
	if got := pauseAt(s, 2_000); got == "" {
		t.Fatal("paused until resumed by hand: nothing said")
	}
}
