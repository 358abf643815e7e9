package visit

import "github.com/trafficinator/trafficinator/targets/kind"

// A *Visit is a kind.Visit: what a target kind's encoder reads.
var _ kind.Visit = (*Visit)(nil)

// Number implements kind.Visit.
func (v *Visit) Number() uint64 { return v.Index }

// Agent implements kind.Visit.
func (v *Visit) Agent() string { return v.UserAgent }

// HitCount implements kind.Visit.
func (v *Visit) HitCount() int { return len(v.Hits) }

// HitAt implements kind.Visit.
func (v *Visit) HitAt(i int) kind.Hit {
	h := &v.Hits[i]
	return kind.Hit{Kind: h.Kind, Params: h.Params, Visit: v.Index, Index: i}
}
