package plan

import (
	"math"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/scenario"
)

func TestBulkRequestsPacksAsTheBatcher(t *testing.T) {
	for _, c := range []struct {
		name        string
		sizes       []int
		bulk, conc  int
		want        int64
		explanation string
	}{
		{"no bulk", []int{3, 4}, 0, 5, 7, "one request per hit"},
		{"one in flight", []int{3, 12, 5}, 5, 1, 1 + 3 + 1, "each group alone: 3 | 5 5 2 | 5"},
		{"fit", []int{3, 2, 4, 1}, 5, 10, 2, "3+2 full, 4+1 full"},
		{"overflow", []int{3, 3, 3}, 5, 10, 3, "3 | 3 | 3: the next never fits"},
		{"in flight caps", []int{1, 1, 1, 1}, 10, 2, 2, "1+1 while both wait, then 1+1"},
		// 12 hits go in groups 5, 5, 2, each after the previous was
		// answered: [5] full; then 1 (the other visit) and 5 queue, and
		// [1] goes alone since 5 does not fit; [5] full; [2].
		{"long visit", []int{12, 1}, 5, 2, 4, "5 | 1 | 5 | 2"},
	} {
		if got := bulkRequests(c.sizes, c.bulk, c.conc); got != c.want {
			t.Errorf("%s: %d requests, want %d (%s)", c.name, got, c.want, c.explanation)
		}
	}
}

// MeanRequests (validate) skips counting every visit's hits: a bulk
// backfill then plans hits ÷ bulk requests, where plan counts the
// requests as the batcher packs each day's visits (at least one request
// per visit at concurrency 1).
func TestMeanRequestsSkipsCounting(t *testing.T) {
	yaml := `apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: bf}
run:
  mode: backfill
  timezone: UTC
  seed: 5
  concurrency: 1
  backfill: {from: 2026-11-01, to: 2026-11-02, visits_per_day: 40}
targets:
  - {name: s, kind: sink, site_id: 1, bulk: 50, token_auth: 0123456789abcdef0123456789abcdef}
`
	clock := func() time.Time { return backfillNow }
	res := scenario.Load("bf.yaml", []byte(yaml), scenario.Options{Lookup: func(string) (string, bool) { return "", false }, Now: clock})
	if !res.Valid() {
		t.Fatalf("invalid scenario: %v", res.Diags)
	}
	counted, err := Compile(res.Scenario, Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	mean, err := Compile(res.Scenario, Options{Now: clock, MeanRequests: true})
	if err != nil {
		t.Fatal(err)
	}
	visits := counted.Expected.Visits
	if counted.Expected.Requests < visits {
		t.Errorf("counted %v requests for %v visits at concurrency 1, want one per visit at least", counted.Expected.Requests, visits)
	}
	if want := mean.Expected.Hits / 50; math.Abs(mean.Expected.Requests-want) > 1e-9 || mean.Expected.Requests >= counted.Expected.Requests {
		t.Errorf("mean requests %v, want hits/bulk %v (counted %v)", mean.Expected.Requests, want, counted.Expected.Requests)
	}
}
