package webhooks

import "strings"

// FoldJSON folds PrettyJSON text below depth levels: an object or array
// opening at level depth-1 or deeper shows as {…} or […] (with its closing
// comma) on one line. depth 0 shows everything.
func FoldJSON(pretty string, depth int) string {
	if depth <= 0 {
		return pretty
	}
	lines := strings.Split(pretty, "\n")
	out := make([]string, 0, len(lines))
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		trimmed := strings.TrimLeft(l, " ")
		level := (len(l) - len(trimmed)) / 2
		open := strings.HasSuffix(l, "{") || strings.HasSuffix(l, "[")
		if !open || level+1 <= depth {
			out = append(out, l)
			continue
		}
		closer := "}"
		if strings.HasSuffix(l, "[") {
			closer = "]"
		}
		indent := l[:len(l)-len(trimmed)]
		j := i + 1
		for ; j < len(lines); j++ {
			if strings.HasPrefix(lines[j], indent+closer) {
				break
			}
		}
		if j == len(lines) { // unbalanced: show as is
			out = append(out, l)
			continue
		}
		tail := strings.TrimPrefix(lines[j], indent+closer) // "," or ""
		out = append(out, l[:len(l)-1]+string(l[len(l)-1])+"…"+closer+tail)
		i = j
	}
	return strings.Join(out, "\n")
}
