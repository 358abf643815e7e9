package metrics

import "maps"

// Counters are the additive figures of one scope. Every planned hit ends in
// exactly one of six outcomes (docs/delivery.md):
//   - OK: Matomo answered success;
//   - Rejected: a 4xx answer, or a bulk entry Matomo counted as invalid;
//   - Failed: provably not recorded (no connection, or an answer that
//     Matomo sends without recording) after its retries;
//   - Unknown: sent, but no answer known (timeout or reset after the body
//     was written): Matomo may or may not have recorded it;
//   - Unsent: a hit of a started visit that was never sent (stop, grace,
//     abort);
//   - DroppedHits: a hit of a visit that never started (the open model's
//     overflow). Dropped counts those visits.
type Counters struct {
	Requests    int64                   `json:"requests"`
	Hits        int64                   `json:"hits"`
	Visits      int64                   `json:"visits"`
	OK          int64                   `json:"ok"`
	Rejected    int64                   `json:"rejected"`
	Failed      int64                   `json:"failed"`
	Unknown     int64                   `json:"unknown"`
	Unsent      int64                   `json:"unsent"`
	Dropped     int64                   `json:"dropped"`
	DroppedHits int64                   `json:"dropped_hits"`
	Retries     int64                   `json:"retries"`
	HitsByKind  map[string]int64        `json:"hits_by_kind"`
	Status      map[string]int64        `json:"status"`
	Errors      map[string]Error        `json:"errors,omitempty"`
	Funnels     map[string]FunnelCounts `json:"funnels,omitempty"`
	// Sent is what Matomo recorded, in the terms of its reports (sent.go).
	Sent Sent `json:"sent"`
}

// Error is a class of error with its count and one example message.
type Error struct {
	Count   int64  `json:"count"`
	Example string `json:"example"`
}

// ErrorCount is what policies call errors: rejected, failed and unknown
// hits. Unknown counts: a gate must not pass on hits whose fate is unknown.
func (c *Counters) ErrorCount() int64 { return c.Rejected + c.Failed + c.Unknown }

// ErrorRate is errors over hits that got an answer or gave up; 0 with no
// samples (policies treat that case apart, see docs/policies.md).
func (c *Counters) ErrorRate() float64 {
	n := c.OK + c.Rejected + c.Failed + c.Unknown
	if n == 0 {
		return 0
	}
	return float64(c.ErrorCount()) / float64(n)
}

// Add adds o into c.
func (c *Counters) Add(o Counters) {
	c.Requests += o.Requests
	c.Hits += o.Hits
	c.Visits += o.Visits
	c.OK += o.OK
	c.Rejected += o.Rejected
	c.Failed += o.Failed
	c.Unknown += o.Unknown
	c.Unsent += o.Unsent
	c.Dropped += o.Dropped
	c.Retries += o.Retries
	c.DroppedHits += o.DroppedHits
	c.HitsByKind = addMaps(c.HitsByKind, o.HitsByKind)
	c.Status = addMaps(c.Status, o.Status)
	c.Funnels = addFunnels(c.Funnels, o.Funnels)
	c.Sent.Add(o.Sent)
	for k, e := range o.Errors {
		if c.Errors == nil {
			c.Errors = map[string]Error{}
		}
		cur := c.Errors[k]
		cur.Count += e.Count
		if cur.Example == "" {
			cur.Example = e.Example
		}
		c.Errors[k] = cur
	}
}

func addMaps(dst, src map[string]int64) map[string]int64 {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = make(map[string]int64, len(src))
	}
	for k, v := range src {
		dst[k] += v
	}
	return dst
}

// Clone returns a deep copy.
func (c Counters) Clone() Counters {
	c.HitsByKind = maps.Clone(c.HitsByKind)
	c.Status = maps.Clone(c.Status)
	c.Errors = maps.Clone(c.Errors)
	c.Funnels = cloneFunnels(c.Funnels)
	c.Sent = c.Sent.clone()
	return c
}
