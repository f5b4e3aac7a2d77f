package audit

// selection is what the cursor is on, by identity: an audit record's seq
// (log) or a pending intent's key, so rows that arrive above it (a live
// audit or intent write) never slide another record under enter, R or A.
type selection struct {
	seq uint64
	key string
	ok  bool
}

func (p *Page) selection() selection {
	switch {
	case p.mode == modeLog && p.sel < len(p.recs):
		return selection{seq: p.recs[p.sel].Seq, ok: true}
	case p.mode == modePending && p.sel < len(p.pending):
		return selection{key: p.pending[p.sel].Key, ok: true}
	}
	return selection{}
}

// reselect puts the cursor back on s when it is still listed, else keeps
// the row index within the rows.
func (p *Page) reselect(s selection) {
	if s.ok {
		if p.mode == modeLog {
			for i, r := range p.recs {
				if r.Seq == s.seq && s.key == "" {
					p.sel = i
					return
				}
			}
		} else {
			for i, in := range p.pending {
				if in.Key == s.key && s.key != "" {
					p.sel = i
					return
				}
			}
		}
	}
	p.sel = min(p.sel, max(0, p.rows()-1))
}
