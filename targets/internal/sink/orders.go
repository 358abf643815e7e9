package sink

import (
	"hash/maphash"
	"strings"
	"sync"
)

// Order ids: Matomo refuses an ec_id it has seen on the site before. The
// ids are kept in shards of their own, chosen by a hash of the id.

const numOrderShards = 16

type orderKey struct {
	site int32
	id   string
}

type orderShard struct {
	mu  sync.Mutex
	ids map[orderKey]struct{}
}

// claimOrder registers ec_id for the site and reports false when it was
// seen before: Matomo de-duplicates orders by ec_id, forever.
func (s *Sink) claimOrder(site int32, ecID string) bool {
	h := maphash.String(s.seed, ecID)
	os := &s.orders[h%numOrderShards]
	k := orderKey{site: site, id: ecID}
	os.mu.Lock()
	defer os.mu.Unlock()
	if _, dup := os.ids[k]; dup {
		return false
	}
	k.id = strings.Clone(ecID) // ecID points into the request body
	os.ids[k] = struct{}{}
	return true
}
