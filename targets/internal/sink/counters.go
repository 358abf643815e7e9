package sink

import (
	"net/url"
	"strings"
	"sync/atomic"
)

// tally counts one request's hits locally; flush adds it to the shared
// counters once per request, so a 100-hit bulk body costs a few atomic
// adds instead of hundreds.
type tally struct {
	hits, recorded, dropped                  int64
	droppedVisits, droppedHits, mergedVisits int64 // misbehave.go
	rejected                                 [numRejects]int64
	excluded                                 [numExclusions]int64
	adjusted                                 [numAdjustments]int64
	rules                                    [numRules]int64
}

// request-level failures, counted apart from hits.
const (
	errBodyTooLarge = iota
	errBadBulk
	errMethod
	errEmpty
	errReadBody
	errBodyTimeout
	errBusy
	numRequestErrors
)

var requestErrorNames = [numRequestErrors]string{"body_too_large", "bad_bulk", "method", "empty", "read_error", "body_timeout", "busy"}

// statuses the sink answers with, for the responses counter.
var statusCodes = [...]int{200, 204, 400, 405, 408, 413, 503}

type counters struct {
	requests, bulkRequests                   atomic.Int64
	hits, recorded, dropped                  atomic.Int64
	droppedVisits, droppedHits, mergedVisits atomic.Int64
	rejected                                 [numRejects]atomic.Int64
	excluded                                 [numExclusions]atomic.Int64
	adjusted                                 [numAdjustments]atomic.Int64
	rules                                    [numRules]atomic.Int64
	requestErrors                            [numRequestErrors]atomic.Int64
	responses                                [len(statusCodes)]atomic.Int64
}

func (c *counters) flush(t *tally) {
	add := func(a *atomic.Int64, n int64) {
		if n != 0 {
			a.Add(n)
		}
	}
	add(&c.hits, t.hits)
	add(&c.recorded, t.recorded)
	add(&c.dropped, t.dropped)
	add(&c.droppedVisits, t.droppedVisits)
	add(&c.droppedHits, t.droppedHits)
	add(&c.mergedVisits, t.mergedVisits)
	for i := range t.rejected {
		add(&c.rejected[i], t.rejected[i])
	}
	for i := range t.excluded {
		add(&c.excluded[i], t.excluded[i])
	}
	for i := range t.adjusted {
		add(&c.adjusted[i], t.adjusted[i])
	}
	for i := range t.rules {
		add(&c.rules[i], t.rules[i])
	}
	*t = tally{}
}

func (c *counters) response(status int) {
	for i, s := range statusCodes {
		if s == status {
			c.responses[i].Add(1)
			return
		}
	}
}

// countRules tallies the broken rules of a hit and keeps the first
// example of each.
func (s *Sink) countRules(rs *reqState, in *hitInput, broken uint32) {
	for r := rule(0); r < numRules; r++ {
		if broken&(1<<r) != 0 {
			rs.tally.rules[r]++
			s.exampleOf(&s.ruleExamples[r], in)
		}
	}
}

// exampleOf stores the hit as the example of a rule or reason unless one
// is stored already. Only the first hit pays for building the text.
func (s *Sink) exampleOf(slot *atomic.Pointer[string], in *hitInput) {
	if slot.Load() != nil {
		return
	}
	ex := s.redactedText(in)
	if len(ex) > maxExample {
		ex = ex[:maxExample] + "…"
	}
	ex = strings.Clone(ex) // never keep a request body alive through a substring
	slot.CompareAndSwap(nil, &ex)
}

// maxExample bounds an example, so that a huge hit does not make /stats huge.
const maxExample = 2048

// redacted replaces token_auth values in examples and logs.
const redacted = "REDACTED"

// redactedText is the hit as a query string with every token_auth value,
// and any configured or received token found elsewhere, replaced.
func (s *Sink) redactedText(in *hitInput) string {
	var text string
	if in.obj != nil {
		v := make(url.Values, len(in.obj))
		for _, e := range in.obj {
			v.Add(e.key, e.val)
		}
		text = redactQuery(v.Encode())
	} else {
		parts := make([]string, 0, 2)
		for _, q := range []string{in.p.rawQuery, in.p.rawBody} {
			if q != "" {
				parts = append(parts, redactQuery(q))
			}
		}
		text = strings.Join(parts, "&")
	}
	return s.scrubTokens(text, in.bulkToken, in.p.get(fToken))
}

// redactQuery replaces the value of every token_auth pair.
func redactQuery(q string) string {
	pairs := strings.Split(q, "&")
	for i, pair := range pairs {
		key, _, _ := strings.Cut(pair, "=")
		if k, _ := unescape(key); k == "token_auth" {
			pairs[i] = key + "=" + redacted
		}
	}
	return strings.Join(pairs, "&")
}

// minScrubLen: shorter tokens are not scrubbed from the rest of the text,
// where they would mangle ordinary values; their token_auth pair is still
// redacted.
const minScrubLen = 4

// scrubTokens removes tokens that appear outside a token_auth pair (in a
// url parameter, say), plain or URL-encoded.
func (s *Sink) scrubTokens(text string, extra ...string) string {
	scrub := func(t string) {
		if len(t) < minScrubLen {
			return
		}
		text = strings.ReplaceAll(text, t, redacted)
		if e := url.QueryEscape(t); e != t {
			text = strings.ReplaceAll(text, e, redacted)
		}
	}
	for _, t := range extra {
		scrub(t)
	}
	for i := range s.sites {
		for _, t := range s.sites[i].tokens {
			scrub(t)
		}
	}
	return text
}
