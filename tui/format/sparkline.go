package format

import "strings"

// sparkLevels draws 1..8 units; zero is a dot so that a quiet period and a
// small one never look alike.
var sparkLevels = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws one character per value, scaled to the largest value.
func Sparkline(vals []int) string {
	top := 0
	for _, v := range vals {
		top = max(top, v)
	}
	return SparklineTo(vals, top)
}

// SparklineTo draws vals on a scale whose full block is top, so that two
// series can share one scale.
func SparklineTo(vals []int, top int) string {
	top = max(top, 1)
	var b strings.Builder
	for _, v := range vals {
		if v <= 0 {
			b.WriteByte('.')
			continue
		}
		i := (min(v, top)*len(sparkLevels) - 1) / top // 1..top -> 0..7
		b.WriteRune(sparkLevels[i])
	}
	return b.String()
}
