package runner_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/loadtest"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
)

// TestSameVisitsWhateverTheConcurrency runs one seeded scenario with
// concurrency 1 and 50, and in bulk mode, and captures the hit streams at
// the sink. Every visit that arrives is exactly the visit the model
// generates for its index (cdt compared as offsets from the visit's first
// hit, within the second that truncation to whole seconds costs, since the
// wall clock anchors it), and the streams of the runs, in visit-index
// order, have the same sha256.
func TestSameVisitsWhateverTheConcurrency(t *testing.T) {
	const visits = 60
	type variant struct {
		concurrency, bulk int
	}
	digests := map[variant]string{}
	for _, v := range []variant{{1, 0}, {50, 0}, {50, 20}} {
		s := startSink(t, loadtest.SinkConfig{Capture: true})
		p := compile(t, scenarioYAML(scenarioSpec{URL: s.URL, Rate: "40/s", MaxVisits: visits, Concurrency: v.concurrency, Bulk: v.bulk}))
		rep, _ := run(t, context.Background(), p, exec.WaitForAll)

		// What the model makes for each index, without any transport.
		cfg, err := p.VisitConfig(&p.Targets[0], nil, "e2etest")
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}             // _id → fingerprint
		index := map[string]int{}               // _id → visit index
		offsets := map[string][]time.Duration{} // _id → simulated offsets from the first hit
		for n := range uint64(visits) {
			gv := visit.Generate(cfg, p.Seed, n)
			gv.StampEnd(time.Now())
			job := runner.Encode(gv, v.bulk > 0)
			lv := loadtest.Visit{ID: gv.VisitorID}
			for _, h := range job.Hits {
				q, err := url.ParseQuery(h.Payload)
				if err != nil {
					t.Fatal(err)
				}
				lv.Hits = append(lv.Hits, loadtest.Hit{Params: q})
			}
			want[gv.VisitorID], index[gv.VisitorID] = loadtest.Fingerprint(lv), int(n)
			for _, h := range gv.Hits {
				offsets[gv.VisitorID] = append(offsets[gv.VisitorID], h.Offset-gv.Hits[0].Offset)
			}
		}

		got := make([]string, visits)
		for _, sv := range loadtest.GroupVisits(s.Hits()) {
			n, ok := index[sv.ID]
			if !ok {
				t.Fatalf("%+v: the sink got visitor %s, which no visit index generates", v, sv.ID)
			}
			if fp := loadtest.Fingerprint(sv); fp != want[sv.ID] {
				t.Errorf("%+v: visit %d arrived different from the model's", v, n)
			}
			got[n] = want[sv.ID]
			checkOffsets(t, sv, offsets[sv.ID])
		}
		c := rep.Total.Counters
		if c.Dropped > 0 {
			// A starved machine may drop a visit with concurrency 1: the
			// visits that ran are checked above; the whole-run digest
			// needs them all.
			t.Logf("%+v: %d visits dropped; whole-run digest not compared", v, c.Dropped)
			continue
		}
		h := sha256.New()
		for n, fp := range got {
			fmt.Fprintf(h, "%d %s\n", n, fp)
		}
		digests[v] = hex.EncodeToString(h.Sum(nil))
	}
	if d1, d50 := digests[variant{1, 0}], digests[variant{50, 0}]; d1 != "" && d50 != "" && d1 != d50 {
		t.Errorf("concurrency 1 and 50 differ: %s vs %s", d1, d50)
	}
	if len(digests) < 2 {
		t.Logf("only %d runs without drops", len(digests))
	}
}

// checkOffsets: each hit's cdt, relative to the first hit's, is the
// model's offset truncated around a wall-clock anchor: less than a second
// off.
func checkOffsets(t *testing.T, v loadtest.Visit, model []time.Duration) {
	t.Helper()
	got, err := loadtest.CDTOffsets(v)
	if err != nil || len(got) != len(model) {
		t.Errorf("visit %s: cdt offsets %v (%v), model %v", v.ID, got, err, model)
		return
	}
	for i := range got {
		if d := got[i] - model[i]; d <= -time.Second || d >= time.Second {
			t.Errorf("visit %s hit %d: cdt offset %v, model %v", v.ID, i, got[i], model[i])
		}
	}
}
