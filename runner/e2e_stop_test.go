package runner_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/loadtest"
)

// noFeatures turns every action off, so that a visit of n pages is exactly
// n pageviews and a ping.
const noFeatures = `    site_search: false
    outlinks: false
    downloads: false
    click_events: false
    random_events: false
    ecommerce: false
`

// TestArrivalsFollowTheSchedule: 5 s at 200 visits/s is exactly 1,000
// arrivals, each started or dropped, whatever the machine's speed: the
// schedule, not a timer, decides how many visits are due.
func TestArrivalsFollowTheSchedule(t *testing.T) {
	s := startSink(t, loadtest.SinkConfig{Token: testToken, Capture: true})
	p := compile(t, scenarioYAML(scenarioSpec{URL: s.URL, Token: testToken, Rate: "200/s", Duration: "5s", Concurrency: 1000,
		Pause: [2]string{"1ms", "20ms"}}))
	rep, _ := run(t, context.Background(), p, exec.WaitForAll)
	c := rep.Total.Counters
	// The bound of run.duration is the wall clock: an arrival loop that
	// reaches the last arrival (due at 4.995 s) after 5 s on a busy machine
	// stops with "duration" and counts it dropped. Either way every one of
	// the 1,000 arrivals is due: started or dropped.
	stop := rep.Run.StopReason
	if (stop != "completed" && stop != "duration") || c.Visits+c.Dropped != 1000 || (stop == "duration" && c.Dropped == 0) {
		t.Fatalf("stop %s, %d visits + %d dropped, want 1000 arrivals (completed, or duration with the late ones dropped)", stop, c.Visits, c.Dropped)
	}
	if rep.Run.PlannedVisits != 1000 || rep.Run.PlannedRate != 200 || rep.Run.AchievedRate != 200 {
		t.Errorf("planned %v visits at %v/s, achieved %v/s", rep.Run.PlannedVisits, rep.Run.PlannedRate, rep.Run.AchievedRate)
	}
	firsts := 0
	for _, h := range s.Hits() {
		if h.Params.Get("new_visit") == "1" {
			firsts++
		}
	}
	if int64(firsts) != c.Visits || rep.Total.Counters.HitsByKind["ping"] != c.Visits {
		t.Errorf("sink saw %d first hits and %d pings for %d visits", firsts, c.HitsByKind["ping"], c.Visits)
	}
}

// TestSlowTargetKeepsArrivalsOnPlan: a sink that takes 500 ms per answer
// cannot carry 100 visits/s with 10 visits in flight. The arrivals stay
// on plan (exactly 200 in 2 s) and the excess is dropped, not delayed.
func TestSlowTargetKeepsArrivalsOnPlan(t *testing.T) {
	s := startSink(t, loadtest.SinkConfig{Delay: 500 * time.Millisecond})
	p := compile(t, scenarioYAML(scenarioSpec{URL: s.URL, Rate: "100/s", Duration: "2s", Concurrency: 10,
		Pageviews: [2]int{2, 2}, Features: noFeatures}))
	rep, _ := run(t, context.Background(), p, exec.WaitForAll)
	c := rep.Total.Counters
	if c.Visits+c.Dropped != 200 || rep.Run.AchievedRate != rep.Run.PlannedRate {
		t.Fatalf("%d visits + %d dropped at %v/s, want 200 arrivals at the planned %v/s", c.Visits, c.Dropped, rep.Run.AchievedRate, rep.Run.PlannedRate)
	}
	// A visit is 3 hits of at least 500 ms each, so each of the 10 slots
	// starts a visit at 0 s and at most one more at 1.5 s before the
	// arrivals end at 2 s.
	if c.Visits < 10 || c.Visits > 20 {
		t.Errorf("%d visits started, want 10..20", c.Visits)
	}
	if c.DroppedHits != 3*c.Dropped || c.OK != 3*c.Visits || c.Hits != c.OK {
		t.Errorf("counters %+v: every dropped visit counts its 3 hits, every started one sends them", c)
	}
}

// TestDurationStopsArrivals: run.duration ends the arrivals, and visits in
// flight still finish.
func TestDurationStopsArrivals(t *testing.T) {
	s := startSink(t, loadtest.SinkConfig{Capture: true})
	p := compile(t, scenarioYAML(scenarioSpec{URL: s.URL, Rate: "40/s", Duration: "1s", Pause: [2]string{"50ms", "100ms"}, Pageviews: [2]int{3, 3}, Features: noFeatures}))
	rep, _ := run(t, context.Background(), p, exec.WaitForAll)
	c := rep.Total.Counters
	if rep.Run.StopReason != "completed" || rep.Run.Outcome != runner.OutcomePassed || rep.Run.ExitCode != 0 {
		t.Errorf("run %+v", rep.Run)
	}
	if c.Visits+c.Dropped != 40 || c.Dropped != 0 || c.OK != 4*c.Visits || c.DroppedHits != 0 {
		t.Errorf("counters %+v, want 40 visits of 4 hits, all sent", c)
	}
	if n := len(s.Hits()); n != 160 {
		t.Errorf("sink got %d hits, want 160", n)
	}
}

// TestMaxVisitsStopsArrivals: run.max_visits ends the arrivals after
// exactly that many.
func TestMaxVisitsStopsArrivals(t *testing.T) {
	s := startSink(t, loadtest.SinkConfig{})
	p := compile(t, scenarioYAML(scenarioSpec{URL: s.URL, Rate: "1000/s", MaxVisits: 37, Features: noFeatures}))
	rep, _ := run(t, context.Background(), p, exec.WaitForAll)
	c := rep.Total.Counters
	if rep.Run.StopReason != "max_visits" || c.Visits+c.Dropped != 37 || rep.Run.ExitCode != 0 {
		t.Errorf("stop %s exit %d, %d visits + %d dropped, want max_visits after 37", rep.Run.StopReason, rep.Run.ExitCode, c.Visits, c.Dropped)
	}
}

// TestDailyCapPausesArrivals: with run.daily_cap 5, the sixth arrival of
// the day finds the rolling window full; arrivals pause with one log line
// (the window frees up only 24 h later; runner/exec tests the resume with
// a test clock).
func TestDailyCapPausesArrivals(t *testing.T) {
	s := startSink(t, loadtest.SinkConfig{})
	yaml := scenarioYAML(scenarioSpec{URL: s.URL, Rate: "50/s", Duration: "1s", Features: noFeatures})
	yaml = strings.Replace(yaml, "  seed: 7\n", "  seed: 7\n  daily_cap: 5\n", 1)
	p := compile(t, yaml)
	if p.Stop.DailyCap != 5 {
		t.Fatalf("plan daily cap %d", p.Stop.DailyCap)
	}
	rep, logs := run(t, context.Background(), p, exec.WaitForAll)
	c := rep.Total.Counters
	if c.Visits != 5 || c.Dropped != 0 || rep.Run.StopReason != "completed" {
		t.Errorf("stop %s, %d visits, %d dropped; want 5 visits and the schedule completed", rep.Run.StopReason, c.Visits, c.Dropped)
	}
	want := []string{"daily cap reached (5 visits in the last 24h); pausing arrivals until the window frees up"}
	if got := logs.all(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("log lines %q, want %q", got, want)
	}
}

// TestInterruptFinishesVisitsInFlight: cancelling the context (SIGINT)
// stops arrivals; the visits in flight finish within the grace period,
// pings included, and the report says interrupted with exit code 130.
func TestInterruptFinishesVisitsInFlight(t *testing.T) {
	s := startSink(t, loadtest.SinkConfig{Capture: true})
	p := compile(t, scenarioYAML(scenarioSpec{URL: s.URL, Rate: "50/s", Pause: [2]string{"100ms", "100ms"}, Pageviews: [2]int{3, 3}, Features: noFeatures}))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(500*time.Millisecond, cancel)
	rep, logs := run(t, ctx, p, time.Minute)
	c := rep.Total.Counters
	if rep.Run.StopReason != "interrupted" || rep.Run.Outcome != runner.OutcomeInterrupted || rep.Run.ExitCode != 130 {
		t.Errorf("run %+v, want interrupted with exit code 130", rep.Run)
	}
	if c.Visits == 0 || c.DroppedHits != 0 || c.OK != 4*c.Visits || c.HitsByKind[kind.Ping.String()] != c.Visits {
		t.Errorf("counters %+v: every started visit must send its 4 hits, ping included", c)
	}
	pings := 0
	for _, h := range s.Hits() {
		if h.Params.Get("ping") == "1" {
			pings++
		}
	}
	if int64(pings) != c.Visits {
		t.Errorf("sink got %d pings for %d visits", pings, c.Visits)
	}
	if l := logs.all(); len(l) != 0 {
		t.Errorf("unexpected log lines %q", l)
	}
}

// TestGraceExpiryCancelsVisits: visits that cannot finish within the grace
// period are cancelled, their unsent hits counted, with a log line.
func TestGraceExpiryCancelsVisits(t *testing.T) {
	s := startSink(t, loadtest.SinkConfig{})
	p := compile(t, scenarioYAML(scenarioSpec{URL: s.URL, Rate: "50/s", Pause: [2]string{"1m", "1m"}, Pageviews: [2]int{3, 3}, Features: noFeatures}))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	rep, logs := run(t, ctx, p, 200*time.Millisecond)
	if el := time.Since(start); el > 30*time.Second {
		t.Fatalf("run took %v with pauses of a minute and a grace of 200ms", el)
	}
	c := rep.Total.Counters
	if rep.Run.ExitCode != 130 || c.Visits == 0 || c.OK != c.Visits || c.Unsent != 3*c.Visits {
		t.Errorf("exit %d, counters %+v: each visit sent its first pageview and left 3 hits unsent", rep.Run.ExitCode, c)
	}
	l := logs.all()
	if len(l) != 1 || !strings.HasPrefix(l[0], "grace period of 200ms over: cancelling ") || !strings.HasSuffix(l[0], " visits in flight") {
		t.Errorf("log lines %q", l)
	}
}
