package sandbox

import "slices"

// byCreated returns dest[old] = new position for a stable sort by created.
func byCreated(n int, created func(i int) int64) []int32 {
	if n == 0 {
		return nil
	}
	minT := created(0)
	for i := 1; i < n; i++ {
		minT = min(minT, created(i))
	}
	keys := make([]uint64, n)
	for i := range keys {
		keys[i] = uint64(created(i)-minT)<<32 | uint64(i)
	}
	slices.Sort(keys)
	dest := make([]int32, n)
	for pos, k := range keys {
		dest[uint32(k)] = int32(pos)
	}
	return dest
}

// permute moves a[i] to a[dest[i]] in place (dest is left untouched).
func permute[T any](a []T, dest []int32) {
	d := slices.Clone(dest)
	for i := range a {
		for d[i] != int32(i) {
			j := d[i]
			a[i], a[j] = a[j], a[i]
			d[i], d[j] = d[j], d[i]
		}
	}
}

func remap(x int32, dest []int32) int32 {
	if x < 0 {
		return x
	}
	return dest[x]
}

// sortAll puts every seeded collection in created order (so index order is
// list order) and rebuilds references and per-owner lists.
func (g *seeder) sortAll() {
	s := g.s
	dSub := byCreated(len(s.subs), func(i int) int64 { return s.subs[i].created })
	dInv := byCreated(len(s.invoices), func(i int) int64 { return s.invoices[i].created })
	dCh := byCreated(len(s.charges), func(i int) int64 { return s.charges[i].created })
	dRe := byCreated(len(s.refunds), func(i int) int64 { return s.refunds[i].created })
	dDp := byCreated(len(s.disputes), func(i int) int64 { return s.disputes[i].created })
	dTx := byCreated(len(s.txns), func(i int) int64 { return s.txns[i].created })

	for i := range s.subs {
		s.subs[i].latestInvoice = remap(s.subs[i].latestInvoice, dInv)
	}
	for i := range s.invoices {
		in := &s.invoices[i]
		in.sub, in.charge = remap(in.sub, dSub), remap(in.charge, dCh)
	}
	for i := range s.charges {
		ch := &s.charges[i]
		ch.invoice, ch.dispute = remap(ch.invoice, dInv), remap(ch.dispute, dDp)
	}
	for i := range s.refunds {
		s.refunds[i].charge = remap(s.refunds[i].charge, dCh)
	}
	for i := range s.disputes {
		s.disputes[i].charge = remap(s.disputes[i].charge, dCh)
	}
	permute(s.subs, dSub)
	permute(s.invoices, dInv)
	permute(s.charges, dCh)
	permute(s.refunds, dRe)
	permute(s.disputes, dDp)
	permute(s.txns, dTx)

	for i := range s.subs {
		sb := &s.subs[i]
		cu := &s.customers[sb.customer]
		sb.prevCust, cu.lastSub = cu.lastSub, int32(i)
	}
	for i := range s.invoices {
		in := &s.invoices[i]
		cu := &s.customers[in.customer]
		in.prevCust, cu.lastInv = cu.lastInv, int32(i)
		sb := &s.subs[in.sub]
		in.prevSub, sb.lastInv = sb.lastInv, int32(i)
	}
	for i := range s.charges {
		ch := &s.charges[i]
		cu := &s.customers[ch.customer]
		ch.prevCust, cu.lastCharge = cu.lastCharge, int32(i)
	}
	for i := range s.txns {
		t := &s.txns[i]
		cu := &s.customers[t.customer]
		t.prevCust, cu.lastTxn = cu.lastTxn, int32(i)
	}
	s.lineSeq = 0
}
