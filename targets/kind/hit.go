package kind

// HitKind is the kind of a tracking hit: what the visitor did. Metrics
// count hits by it and the visit model tags every hit with it.
type HitKind uint8

// Hit kinds, in report order.
const (
	Pageview HitKind = iota
	SiteSearch
	Outlink
	Download
	Event
	Order
	Ping
	NumHitKinds
)

var hitKindNames = [NumHitKinds]string{"pageview", "site_search", "outlink", "download", "event", "order", "ping"}

func (k HitKind) String() string {
	if k < NumHitKinds {
		return hitKindNames[k]
	}
	return "unknown"
}

// HitKindNames lists the hit kinds in report order.
func HitKindNames() []string { return hitKindNames[:] }

// ParseHitKind maps a name back to its hit kind.
func ParseHitKind(s string) (HitKind, bool) {
	for i, n := range hitKindNames {
		if n == s {
			return HitKind(i), true
		}
	}
	return 0, false
}

// Param is one tracking parameter.
type Param struct {
	Key, Value string
}

// Params are the parameters of one hit, in the order they are sent. The
// order is part of the model: it keeps the encoded hit stream, and so a
// hash of it, stable. They never hold token_auth: a kind's sender adds it.
type Params []Param

// Get returns the value of key and whether it is present.
func (p Params) Get(key string) (string, bool) {
	for _, kv := range p {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return "", false
}

// Keys returns the parameter names in order.
func (p Params) Keys() []string {
	out := make([]string, len(p))
	for i, kv := range p {
		out[i] = kv.Key
	}
	return out
}

// Hit is one hit as a kind's Encoder sees it: protocol-neutral, and small
// enough to pass by value.
type Hit struct {
	Kind   HitKind
	Params Params
	// Visit is the visit's number in the run and Index the hit's place in
	// it (0-based).
	Visit uint64
	Index int
}
