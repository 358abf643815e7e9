package runner_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/loadtest"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
	"github.com/trafficinator/trafficinator/targets"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// fileLine is one line that a kind: file target writes.
type fileLine struct {
	Target string          `json:"target"`
	Visit  uint64          `json:"visit"`
	Hit    int             `json:"hit"`
	Kind   string          `json:"kind"`
	UA     string          `json:"ua"`
	CDT    string          `json:"cdt"`
	Params json.RawMessage `json:"params"`
}

// orderedParams decodes a JSON object of strings keeping its key order.
func orderedParams(t *testing.T, raw json.RawMessage) kind.Params {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	var out kind.Params
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("params %s: not an object", raw)
	}
	for dec.More() {
		k, err1 := dec.Token()
		v, err2 := dec.Token()
		ks, ok1 := k.(string)
		vs, ok2 := v.(string)
		if err1 != nil || err2 != nil || !ok1 || !ok2 {
			t.Fatalf("params %s: not an object of strings", raw)
		}
		out = append(out, kind.Param{Key: ks, Value: vs})
	}
	return out
}

// TestFileKindWritesWhatTheSinkRecords applies one seeded scenario twice:
// to a capturing sink, and to a kind: file target (with a token). The
// file holds one JSON line per hit, each exactly the model's hit (every
// parameter in send order; cdt as the line's own cdt, anchored to the
// wall clock), and the visits are the very visits the sink recorded. The
// token is nowhere in the file.
func TestFileKindWritesWhatTheSinkRecords(t *testing.T) {
	const visits, token = 40, "s3cr3t-t0ken-e2e"
	s := startSink(t, loadtest.SinkConfig{Capture: true})
	spec := scenarioSpec{URL: s.URL, Rate: "200/s", MaxVisits: visits, Concurrency: 50}
	p := compile(t, scenarioYAML(spec))
	run(t, context.Background(), p, exec.WaitForAll)
	recorded := map[string]string{} // _id → fingerprint
	for _, v := range loadtest.GroupVisits(s.Hits()) {
		recorded[v.ID] = loadtest.Fingerprint(v)
	}
	if len(recorded) != visits {
		t.Fatalf("the sink recorded %d visits, want %d", len(recorded), visits)
	}

	path := filepath.Join(t.TempDir(), "hits.jsonl")
	yaml := strings.Replace(scenarioYAML(spec), "    kind: matomo\n    url: "+s.URL+"\n",
		fmt.Sprintf("    kind: file\n    url: file:%s\n    token_auth: %s\n", path, token), 1)
	fp := compile(t, yaml)
	rep, _ := run(t, context.Background(), fp, exec.WaitForAll)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(token)) || bytes.Contains(data, []byte("token_auth")) {
		t.Error("the token reached the file")
	}

	cfg, err := fp.VisitConfig(&fp.Targets[0], nil, "e2etest")
	if err != nil {
		t.Fatal(err)
	}
	byVisit := map[uint64][]loadtest.Hit{}
	lines := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines++
		var l fileLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %d: %v", lines, err)
		}
		gv := visit.Generate(cfg, fp.Seed, l.Visit)
		if l.Hit < 0 || l.Hit >= len(gv.Hits) {
			t.Fatalf("line %d: hit %d of visit %d, which has %d", lines, l.Hit, l.Visit, len(gv.Hits))
		}
		h := gv.Hits[l.Hit]
		got := orderedParams(t, l.Params)
		if l.Target != "m" || l.Kind != h.Kind.String() || l.UA != gv.UserAgent || len(got) != len(h.Params) {
			t.Fatalf("line %d: %+v, want target m, kind %s, ua %q, %d params", lines, l, h.Kind, gv.UserAgent, len(h.Params))
		}
		q := url.Values{}
		for i, kv := range got {
			want := h.Params[i]
			switch {
			case kv.Key == "cdt":
				if want.Key != "cdt" || kv.Value != l.CDT || len(kv.Value) != len("2006-01-02 15:04:05") {
					t.Fatalf("line %d: cdt %q (line cdt %q) at %d", lines, kv.Value, l.CDT, i)
				}
			case kv.Key == "h" || kv.Key == "m" || kv.Key == "s":
				// The visitor's clock: the line's cdt in its country's zone.
				at, err := time.ParseInLocation(visit.CDTLayout, l.CDT, time.UTC)
				local := at.In(targets.Zone(gv.Country))
				clock := map[string]int{"h": local.Hour(), "m": local.Minute(), "s": local.Second()}
				if err != nil || want.Key != kv.Key || kv.Value != strconv.Itoa(clock[kv.Key]) {
					t.Fatalf("line %d: %s=%q at %d, cdt %s in %s", lines, kv.Key, kv.Value, i, l.CDT, gv.Country)
				}
			case kv != want:
				t.Fatalf("line %d: parameter %d is %s=%q, the model's %s=%q", lines, i, kv.Key, kv.Value, want.Key, want.Value)
			}
			q.Add(kv.Key, kv.Value)
		}
		byVisit[l.Visit] = append(byVisit[l.Visit], loadtest.Hit{Params: q})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	c := rep.Total.Counters
	if int64(lines) != c.OK || c.OK == 0 || c.Failed+c.Rejected+c.Unknown != 0 {
		t.Errorf("%d lines, the report counts %+v", lines, c)
	}
	if len(byVisit) != visits {
		t.Fatalf("the file holds %d visits, want %d", len(byVisit), visits)
	}
	for n, hits := range byVisit {
		id := hits[0].Params.Get("_id")
		if fp, ok := recorded[id]; !ok || fp != loadtest.Fingerprint(loadtest.Visit{ID: id, Hits: hits}) {
			t.Errorf("visit %d (%s) differs from what the sink recorded", n, id)
		}
	}
}
