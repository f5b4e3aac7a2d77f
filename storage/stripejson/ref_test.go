package stripejson

import (
	"encoding/json"
	"testing"
)

func TestRefReadsIDExpandedObjectAndNull(t *testing.T) {
	var v struct {
		A Ref `json:"a"`
		B Ref `json:"b"`
		C Ref `json:"c"`
		D Ref `json:"d"`
	}
	v.C = "stale"
	in := `{"a":"cus_1","b":{"id":"ch_2","object":"charge"},"c":null}`
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != "cus_1" || v.B != "ch_2" || v.C != "" || v.D != "" {
		t.Fatalf("got %+v", v)
	}
}

func TestRefRejectsMalformed(t *testing.T) {
	var r struct {
		A Ref `json:"a"`
	}
	for _, in := range []string{`{"a":{"id":3}}`, `{"a":true}`} {
		if err := json.Unmarshal([]byte(in), &r); err == nil {
			t.Errorf("%s: want an error, got %q", in, r.A)
		}
	}
}
