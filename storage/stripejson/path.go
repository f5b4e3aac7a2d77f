package stripejson

import (
	"strconv"
	"strings"
)

// Lookup walks a dotted path ("items.data.0.price.id") through JSON decoded
// into any (maps, slices, float64, string, bool, nil): map keys by name,
// slice elements by index. A missing key, a bad index or a scalar on the way
// gives nil.
func Lookup(v any, path string) any {
	for _, part := range strings.Split(path, ".") {
		switch t := v.(type) {
		case map[string]any:
			v = t[part]
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(t) {
				return nil
			}
			v = t[i]
		default:
			return nil
		}
	}
	return v
}

// String is the string at path in obj, or "" (absent, null, another type).
func String(obj map[string]any, path string) string {
	s, _ := Lookup(obj, path).(string)
	return s
}

// Int is the number at path in obj as an int64 (Stripe's amounts are
// integer minor units and unix seconds), or 0.
func Int(obj map[string]any, path string) int64 {
	f, _ := Lookup(obj, path).(float64)
	return int64(f)
}

// Bool is the boolean at path in obj, or false.
func Bool(obj map[string]any, path string) bool {
	b, _ := Lookup(obj, path).(bool)
	return b
}
