package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/targets"
)

// TestApplyMaxRPSErrors: --max-rps must be above 0 and is for backfill
// only; a refused run is exit 2 and sends nothing.
func TestApplyMaxRPSErrors(t *testing.T) {
	fs := startFaults(t, targets.SinkFaults{})
	dir, scen := writeScenario(t, backfillScenario(fs.URL, 1, 3, 0, "10s", ""))
	realtime := filepath.Join(dir, "rt.yaml")
	if err := os.WriteFile(realtime, []byte(validScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--max-rps", "0", scen}, "--max-rps must be a number of visits per second above 0"},
		{[]string{"--max-rps", "-3", scen}, "--max-rps must be a number of visits per second above 0"},
		{[]string{"--max-rps", "5", realtime}, "--max-rps is for backfill: realtime sends the planned rate (run.rate)"},
	} {
		code, stdout, stderr := runCLI(t, append([]string{"apply", "--no-preflight"}, c.args...)...)
		if code != exitUsage || stdout != "" || !strings.HasPrefix(stderr, "trafficinator: "+c.want) {
			t.Errorf("%q: exit %d\nstderr %q\nwant   %q", c.args, code, stderr, "trafficinator: "+c.want)
		}
	}
	if n := len(fs.Recorded()); n != 0 {
		t.Errorf("%d hits sent by refused runs", n)
	}
}

// With rps: auto the progress line shows the rate and the limit in flight.
func TestProgressShowsTheAutoLimit(t *testing.T) {
	var w bytes.Buffer
	p := newProgress(&w)
	p.update(runner.Progress{Elapsed: 5 * time.Second, Rate: 54.5, Visits: 200, InFlight: 7, AutoLimit: 8})
	p.done()
	want := "5s / open-ended  rate 54.5/s  visits 200  dropped 0  hits 0  errors 0  p95 0ms  in flight 7 (rps auto: limit 8)\n"
	if w.String() != want {
		t.Errorf("progress %q\nwant     %q", w.String(), want)
	}
}
