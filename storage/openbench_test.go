package storage

import (
	"fmt"
	"testing"
)

// BenchmarkOpen measures opening a cache, which reads every page the
// file's tree reaches once (the damage check).
func BenchmarkOpen(b *testing.B) {
	for _, n := range []int{100_000} {
		b.Run(fmt.Sprintf("customers/%d", n), func(b *testing.B) {
			s := openTest(b, Options{})
			loadCustomers(b, s, n)
			path := s.Path()
			if err := s.Close(); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				o, err := Open(path, Options{ReadOnly: true})
				if err != nil {
					b.Fatal(err)
				}
				o.Close()
			}
		})
	}
}
