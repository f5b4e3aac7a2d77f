package safetext_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/paydesk/paydesk/storage/safetext"
	"github.com/paydesk/paydesk/storage/safetext/hostile"
)

func TestLineCorpus(t *testing.T) {
	for _, c := range hostile.Corpus {
		got := safetext.Line(c.Text)
		if fs := safetext.Scan([]byte(got)); len(fs) > 0 {
			t.Errorf("%s: Line left %v in %q", c.Name, fs, got)
		}
		if strings.Contains(got, "\n") {
			t.Errorf("%s: Line kept a newline", c.Name)
		}
		for _, w := range []int{1, 8, 20, 79} {
			if cw := safetext.Width(safetext.Cell(c.Text, w)); cw > w {
				t.Errorf("%s: Cell(%d) is %d cells", c.Name, w, cw)
			}
		}
	}
}

func TestLineVisible(t *testing.T) {
	cases := map[string]string{
		"Eve \x1b]0;pwned\x07": `Eve \u001b]0;pwned\u0007`,
		"c1\u009b2J":           `c1\u009b2J`,
		"a\u202Eb":             `a\u202eb`,
		"two\nlines\r\t":       `two\u000alines\u000d\u0009`,
		"bad\xffutf8":          `bad\xffutf8`,
		"tag\U000E0041":        `tag\U000e0041`,
		"👨\u200d👩 Zoë 山田":      "👨\u200d👩 Zoë 山田",
	}
	for in, want := range cases {
		if got := safetext.Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCellWidthByGrapheme(t *testing.T) {
	cases := []struct {
		in   string
		w    int
		want string
	}{
		{"山田太郎株式会社", 7, "山田太…"},
		{"👨\u200d👩\u200d👧\u200d👦👨\u200d👩\u200d👧\u200d👦👨\u200d👩\u200d👧\u200d👦", 5, "👨\u200d👩\u200d👧\u200d👦👨\u200d👩\u200d👧\u200d👦…"},
		{"Ame\u0301lie Ame\u0301lie", 6, "Ame\u0301li…"},
		{"short", 10, "short"},
	}
	for _, c := range cases {
		got := safetext.Cell(c.in, c.w)
		if got != c.want {
			t.Errorf("Cell(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
	}
	if w := safetext.Width("山田"); w != 4 {
		t.Errorf("Width(山田) = %d, want 4", w)
	}
}

func TestJSONStaysJSON(t *testing.T) {
	for _, c := range hostile.Corpus {
		raw, _ := json.Marshal(map[string]string{"name": c.Text})
		got := safetext.JSON(raw)
		if fs := safetext.Scan([]byte(got)); len(fs) > 0 {
			t.Errorf("%s: JSON left %v", c.Name, fs)
		}
		var back map[string]string
		if err := json.Unmarshal([]byte(got), &back); err != nil {
			t.Fatalf("%s: escaped JSON no longer parses: %v", c.Name, err)
		}
		if back["name"] != c.Text {
			t.Errorf("%s: escaped JSON means something else: %q", c.Name, back["name"])
		}
	}
}

func TestWalk(t *testing.T) {
	type inner struct{ Note string }
	type ref string
	v := struct {
		Name  string
		ID    ref
		Meta  map[string]string
		Lines []inner
		Ptr   *inner
		Raw   json.RawMessage
		Any   any
		skip  string
	}{Name: "a\x1b[2J", ID: "cus_\u202e", Meta: map[string]string{"k\x07": "v\x1b"}, Lines: []inner{{"\b"}},
		Ptr: &inner{"\u009b"}, Raw: json.RawMessage(`"\u001b"`), Any: map[string]any{"x": "\x1b"}, skip: "\x1b"}
	safetext.Walk(&v)
	if v.Name != `a\u001b[2J` || v.ID != `cus_\u202e` || v.Meta[`k\u0007`] != `v\u001b` || len(v.Meta) != 1 ||
		v.Lines[0].Note != `\u0008` || v.Ptr.Note != `\u009b` || v.Any.(map[string]any)["x"] != `\u001b` {
		t.Errorf("Walk left %+v", v)
	}
	if string(v.Raw) != `"\u001b"` || v.skip != "\x1b" {
		t.Errorf("Walk touched raw JSON or unexported fields: %+v", v)
	}
}

func TestFrameKeepsSGRDropsRest(t *testing.T) {
	in := "\x1b[1;38;5;205mtitle\x1b[0m \x1b]0;x\x07a\x1b[2Jb\x1bP+q\x1b\\c\u009bd\u202ee\tf\x1b]8;;u\x1b\\g"
	want := "\x1b[1;38;5;205mtitle\x1b[0m ab" + "cde f" + "g"
	if got := safetext.Frame(in); got != want {
		t.Errorf("Frame = %q, want %q", got, want)
	}
	if got := safetext.Frame("plain\nlines"); got != "plain\nlines" {
		t.Errorf("Frame changed clean text: %q", got)
	}
}

func TestScanFindsEveryKind(t *testing.T) {
	for _, c := range hostile.Corpus {
		switch c.Name {
		case "zwj_family", "cjk", "combining", "long_10000", "line_feed":
			if fs := safetext.Scan([]byte(c.Text)); len(fs) > 0 {
				t.Errorf("%s: benign text flagged: %v", c.Name, fs)
			}
		case "sgr_conceal":
			// SGR is styling to the scanner (tests look for its bytes); LF is
			// how output ends lines (Line turns it into an escape).
		default:
			if fs := safetext.Scan([]byte(c.Text)); len(fs) == 0 {
				t.Errorf("%s: raw hostile string not flagged", c.Name)
			}
		}
	}
}
