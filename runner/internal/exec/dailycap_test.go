package exec

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/pacing"
)

// testClock is a clock whose Sleep moves time forward at once, so that a
// schedule of days runs in milliseconds. A sleep ends on a whole
// millisecond, as late as a real timer may fire: due times computed in
// floating point (600 s × n is 7199.999999999 s for n = 12) then land on
// the whole minutes they stand for.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	end := c.now.Add(d)
	if r := end.Truncate(time.Millisecond); r.Before(end) {
		end = r.Add(time.Millisecond)
	}
	c.now = end
	c.mu.Unlock()
	return nil
}

// startedRecorder is a Build that notes which visit indices were built to
// run (a dropped visit is built too, to count its hits; none is dropped
// here).
type startedRecorder struct {
	mu    sync.Mutex
	index []uint64
	at    []time.Time
}

func (r *startedRecorder) Len() int           { return len(r.index) }
func (r *startedRecorder) Less(i, j int) bool { return r.index[i] < r.index[j] }
func (r *startedRecorder) Swap(i, j int) {
	r.index[i], r.index[j] = r.index[j], r.index[i]
	r.at[i], r.at[j] = r.at[j], r.at[i]
}

// TestDailyCapPausesAndResumes runs 48 simulated hours at one visit every
// 10 minutes with a cap of 100 visits in any rolling 24 hours. Visits 0-99
// start (t = 0 … 16h30); the window is full until the visit of t = 0
// leaves it at t = 24h, when arrivals resume (visit 144) and the window
// slides one visit in, one out, until visits 144-243 fill it again at
// t = 40h40; the schedule ends at 48h, still paused.
func TestDailyCapPausesAndResumes(t *testing.T) {
	clock := &testClock{now: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	start := clock.now
	rec := &startedRecorder{}
	tg := newTarget(&fakeSender{}, 0, 0)
	build := tg.Build
	tg.Build = func(n uint64, at time.Time) Job {
		rec.mu.Lock()
		rec.index = append(rec.index, n)
		rec.at = append(rec.at, at)
		rec.mu.Unlock()
		return build(n, at)
	}
	var logs []string
	var logMu sync.Mutex
	e := &Executor{
		Pacer: pacing.Constant(1.0/600, 48*time.Hour), Router: one{}, Targets: []*Target{tg},
		Concurrency: 1000, DailyCap: 100, Grace: WaitForAll, Now: clock.Now, Sleep: clock.Sleep,
		Logf: func(f string, a ...any) {
			logMu.Lock()
			logs = append(logs, fmt.Sprintf("%s "+f, append([]any{clock.Now().Sub(start)}, a...)...))
			logMu.Unlock()
		},
	}
	out := e.Run(context.Background())
	if out.Reason != ReasonCompleted {
		t.Fatalf("outcome %v", out)
	}
	// Visits run on their own goroutines: sort what they built.
	sort.Sort(rec)
	var want []uint64
	for n := uint64(0); n < 100; n++ {
		want = append(want, n)
	}
	for n := uint64(144); n < 244; n++ {
		want = append(want, n)
	}
	if fmt.Sprint(rec.index) != fmt.Sprint(want) {
		t.Errorf("visits started %v\nwant %v", rec.index, want)
	}
	for i, n := range rec.index {
		if at := rec.at[i].Sub(start); at != time.Duration(n)*10*time.Minute {
			t.Errorf("visit %d started at %v, want %v", n, at, time.Duration(n)*10*time.Minute)
			break
		}
	}
	wantLogs := []string{
		"16h40m0s daily cap reached (100 visits in the last 24h); pausing arrivals until the window frees up",
		"24h0m0s daily cap window has room again; resuming arrivals",
		"40h40m0s daily cap reached (100 visits in the last 24h); pausing arrivals until the window frees up",
	}
	if strings.Join(logs, "\n") != strings.Join(wantLogs, "\n") {
		t.Errorf("log lines:\n%s\nwant:\n%s", strings.Join(logs, "\n"), strings.Join(wantLogs, "\n"))
	}
	if out.Arrivals != 200 {
		t.Errorf("arrivals %d, want 200 (arrivals skipped while paused are not due)", out.Arrivals)
	}
	c := tg.Recorder.Snapshot().Counters
	if c.Visits != 200 || c.Dropped != 0 {
		t.Errorf("counters %+v", c)
	}
}

// TestDailyCapMatchesRollingCount compares the cap with a plain count of
// the visits of the last 24 hours (to the minute) over random arrival
// times, including gaps longer than a day and a clock that steps back.
func TestDailyCapMatchesRollingCount(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, limit := range []int64{1, 7, 500} {
		d := newDailyCap(limit)
		var added []int64 // minutes of the visits counted
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for step := 0; step < 20000; step++ {
			switch x := r.IntN(1000); {
			case x < 5:
				now = now.Add(time.Duration(24+r.IntN(48)) * time.Hour) // a long gap
			case x < 100:
				now = now.Add(-time.Duration(r.IntN(120)) * time.Second) // NTP steps back
			default:
				now = now.Add(time.Duration(r.IntN(int(limit)*200)) * time.Second / time.Duration(limit))
			}
			m := now.Unix() / 60
			latest := m
			for _, a := range added {
				latest = max(latest, a)
			}
			// The reference: visits whose minute lies in the 24 h up to
			// now (or up to the latest minute seen when the clock went
			// back, which is where such a visit is counted).
			var n int64
			for _, a := range added {
				if a > latest-1440 {
					n++
				}
			}
			if got, want := d.full(now), n >= limit; got != want {
				t.Fatalf("limit %d step %d: full = %v, the window holds %d", limit, step, got, n)
			}
			if n < limit {
				d.add(now)
				added = append(added, latest)
			}
		}
	}
}

func TestDailyCapOff(t *testing.T) {
	d := newDailyCap(0)
	now := time.Now()
	for range 1000 {
		d.add(now)
	}
	if d.full(now) {
		t.Fatal("a cap of 0 is off")
	}
}
