package main

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/trafficinator/trafficinator/targets"
)

// hitLog is what a sink accepted, each hit as its sorted parameters
// without the token.
type hitLog struct {
	mu   sync.Mutex
	hits []string
}

func (h *hitLog) add(_ int, p url.Values) {
	q := url.Values{}
	for k, v := range p {
		if k != "token_auth" {
			q[k] = v
		}
	}
	h.mu.Lock()
	h.hits = append(h.hits, q.Encode())
	h.mu.Unlock()
}

// take returns the hits so far, sorted (a multiset), and forgets them.
func (h *hitLog) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := h.hits
	h.hits = nil
	slices.Sort(out)
	return out
}

// TestShardEquivalence (issue 17, item 4): a backfill run whole, and as
// n = 1, 2, 4 and 8 shards, each shard a separate process of the built
// binary, against one loopback sink. For every n the shards' hits are, as
// a multiset, exactly the whole run's, and the shards' reports merge
// (report merge, a process too) into the whole run's counters. Then
// report merge refuses a missing shard and a shard given twice (exit 2).
func TestShardEquivalence(t *testing.T) {
	bin := builtBinary(t)
	// Each run gets a sink of its own: a sink refuses an order id it has
	// seen, and every run here sends the same orders.
	log := &hitLog{}
	var dir, scen string
	newSink := func() {
		s, err := targets.StartSink(targets.SinkOptions{Sites: []targets.SinkSite{{ID: 1, Tokens: []string{bfToken}}}, OnHit: log.add})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		dir, scen = writeScenario(t, backfillScenario(s.URL, 2, 30, 0, "10s", ""))
	}
	apply := func(out string, extra ...string) error {
		args := append([]string{"apply", "--no-preflight", "--quiet", "--run-id", "eq", "--format", "json", "--out", out}, extra...)
		cmd := exec.Command(bin, append(args, scen)...)
		cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+dir)
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("apply %v: %v\n%.2000s", extra, err, b)
		}
		return nil
	}
	newSink()
	wholeOut := filepath.Join(dir, "whole.json")
	if err := apply(wholeOut); err != nil {
		t.Fatal(err)
	}
	whole, wholeHits := readReport(t, wholeOut), log.take()
	if c := whole.Total.Counters; len(wholeHits) == 0 || c.Visits != 60 || c.OK != c.Hits || int64(len(wholeHits)) != c.Hits {
		t.Fatalf("the whole run: %d hits at the sink, counters %d visits, %d hits, %d ok; want 60 visits, every hit ok", len(wholeHits), c.Visits, c.Hits, c.OK)
	}
	for _, n := range []int{1, 2, 4, 8} {
		newSink()
		sub := dir // this n's own folder (newSink)
		var files []string
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			files = append(files, filepath.Join(sub, fmt.Sprintf("shard-%d.json", i)))
		}
		for i, file := range files {
			wg.Go(func() { errs[i] = apply(file, "--shard", fmt.Sprintf("%d/%d", i, n)) })
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if got := log.take(); !slices.Equal(got, wholeHits) {
			t.Errorf("n=%d: the shards sent %d hits, the whole run %d: not the same multiset", n, len(got), len(wholeHits))
		}
		merged := readReport(t, files[0])
		if n > 1 {
			mergedOut := filepath.Join(sub, "merged.json")
			code, _, stderr := runBin(t, bin, append([]string{"report", "merge", "--format", "json", "--out", mergedOut}, files...)...)
			if code != 0 {
				t.Fatalf("n=%d: report merge exit %d: %s", n, code, stderr)
			}
			merged = readReport(t, mergedOut)
			// The merged report, its parts' shards included, is valid.
			if code, _, stderr := runBin(t, bin, "report", "show", mergedOut); code != 0 {
				t.Errorf("n=%d: report show of the merged report: exit %d: %s", n, code, stderr)
			}
		}
		if merged.Run.ID != "eq" || merged.Run.PlannedVisits != whole.Run.PlannedVisits {
			t.Errorf("n=%d: merged run %q planned %v visits, want eq and %v", n, merged.Run.ID, merged.Run.PlannedVisits, whole.Run.PlannedVisits)
		}
		if !reflect.DeepEqual(merged.Total.Counters, whole.Total.Counters) {
			t.Errorf("n=%d: merged counters\n got %+v\nwant %+v", n, merged.Total.Counters, whole.Total.Counters)
		}
		for k, d := range merged.Backfill.Days {
			w := whole.Backfill.Days[k]
			if d.Date != w.Date || d.Planned != w.Planned || d.Delivered != w.Delivered || !d.Complete {
				t.Errorf("n=%d: merged day %+v, whole %+v", n, d, w)
			}
		}
		if n != 4 {
			continue
		}
		copyOf := filepath.Join(sub, "copy.json")
		b, err := os.ReadFile(files[1])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(copyOf, b, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			files []string
			want  string
		}{
			{[]string{files[0], files[1], files[3]}, "trafficinator: cannot merge: shard 2/4 of run eq is missing: a sharded run merges with all its 4 shards\n"},
			{append(slices.Clone(files), copyOf), fmt.Sprintf("trafficinator: cannot merge: shard 1/4 of run eq is given twice (%s and %s): each shard is merged once, or its counts would be doubled\n", files[1], copyOf)},
		} {
			code, stdout, stderr := runBin(t, bin, append([]string{"report", "merge"}, c.files...)...)
			if code != 2 || stderr != c.want || stdout != "" {
				t.Errorf("report merge %d files: exit %d, stderr %q, stdout %q\nwant exit 2 and %q", len(c.files), code, stderr, stdout, c.want)
			}
		}
	}
}

// runBin runs the built binary and returns its exit code and output.
func runBin(t *testing.T, bin string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errOut.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errOut.String()
}
