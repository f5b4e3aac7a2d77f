package sandbox

import (
	"math/bits"
	"strings"
)

// kind identifies an object family; it selects the id prefix and is mixed
// into the id so ids of different kinds never collide.
type kind uint8

const (
	kCustomer kind = iota + 1
	kSubscription
	kSubItem
	kInvoice
	kLine
	kCharge
	kPaymentIntent
	kRefund
	kDispute
	kBalanceTxn
	kEvent
	kFile
	kProduct
	kPrice
	kWebhookEndpoint
	kRequest
	kTxn
	kPortalSession
	kCoupon
	kPromoCode
	kInvoiceItem
	kCreditNote
)

var kindPrefix = map[kind]string{
	kCustomer:        "cus_",
	kSubscription:    "sub_",
	kSubItem:         "si_",
	kInvoice:         "in_",
	kLine:            "il_",
	kCharge:          "ch_",
	kPaymentIntent:   "pi_",
	kRefund:          "re_",
	kDispute:         "dp_",
	kBalanceTxn:      "cbtxn_",
	kEvent:           "evt_",
	kFile:            "file_",
	kProduct:         "prod_",
	kPrice:           "price_",
	kWebhookEndpoint: "we_",
	kRequest:         "req_",
	kTxn:             "txn_",
	kPortalSession:   "bps_",
	kCoupon:          "", // coupon ids have no prefix at Stripe
	kPromoCode:       "promo_",
	kInvoiceItem:     "ii_",
	kCreditNote:      "cn_",
}

const b62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

const (
	mulA = 0x9E3779B97F4A7C15
	mulB = 0xBF58476D1CE4E5B9
)

// idCodec turns (kind, sequence number) into Stripe-looking ids and back,
// without any lookup table: the mapping is a keyed bijection on 64 bits, so
// objects are stored by index and their ids are rendered on demand.
type idCodec struct {
	key        uint64
	invA, invB uint64
}

func newIDCodec(seed int64) idCodec {
	k := uint64(seed)*mulB + 0x2545F4914F6CDD1D
	return idCodec{key: k, invA: modInverse(mulA), invB: modInverse(mulB)}
}

func modInverse(a uint64) uint64 {
	x := a
	for i := 0; i < 6; i++ {
		x *= 2 - a*x
	}
	return x
}

func (c idCodec) mix(x uint64) uint64 {
	x ^= c.key
	x ^= x >> 32
	x *= mulA
	x ^= x >> 32
	x *= mulB
	x ^= x >> 32
	return x
}

func (c idCodec) unmix(x uint64) uint64 {
	x ^= x >> 32
	x *= c.invB
	x ^= x >> 32
	x *= c.invA
	x ^= x >> 32
	x ^= c.key
	return x
}

func check(x uint64) uint64 {
	x ^= x >> 29
	x *= mulB
	x ^= x >> 31
	return x % (62 * 62 * 62)
}

// id renders the id of object number seq of kind k.
func (c idCodec) id(k kind, seq uint32) string {
	x := c.mix(uint64(k)<<40 | uint64(seq))
	var buf [14]byte
	v := x
	for i := 10; i >= 0; i-- {
		buf[i] = b62[v%62]
		v /= 62
	}
	ck := check(x)
	for i := 13; i >= 11; i-- {
		buf[i] = b62[ck%62]
		ck /= 62
	}
	return kindPrefix[k] + string(buf[:])
}

// parse returns the sequence number encoded in id, or false when id is not
// an id of kind k issued by this codec.
func (c idCodec) parse(k kind, id string) (uint32, bool) {
	p := kindPrefix[k]
	if !strings.HasPrefix(id, p) || len(id) != len(p)+14 {
		return 0, false
	}
	s := id[len(p):]
	var x uint64
	for i := 0; i < 11; i++ {
		d := strings.IndexByte(b62, s[i])
		if d < 0 {
			return 0, false
		}
		hi, lo := bits.Mul64(x, 62)
		if hi != 0 {
			return 0, false
		}
		x = lo + uint64(d)
		if x < lo {
			return 0, false
		}
	}
	ck := check(x)
	for i := 13; i >= 11; i-- {
		if s[i] != b62[ck%62] {
			return 0, false
		}
		ck /= 62
	}
	v := c.unmix(x)
	if v>>40 != uint64(k) || (v>>32)&0xFF != 0 {
		return 0, false
	}
	return uint32(v), true
}
