package webhooks

import "testing"

func TestFoldJSON(t *testing.T) {
	pretty := PrettyJSON([]byte(`{"id":"evt_1","data":{"object":{"id":"in_1","lines":[1,2]},"previous":{}},"list":[{"a":1}]}`))
	cases := map[int]string{
		1: "{\n  \"data\": {…},\n  \"id\": \"evt_1\",\n  \"list\": […]\n}",
		2: "{\n  \"data\": {\n    \"object\": {…},\n    \"previous\": {}\n  },\n  \"id\": \"evt_1\",\n  \"list\": [\n    {…}\n  ]\n}",
		0: pretty,
	}
	for depth, want := range cases {
		if got := FoldJSON(pretty, depth); got != want {
			t.Errorf("depth %d:\n%s\nwant\n%s", depth, got, want)
		}
	}
}
