package exec

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/targets/kind"
)

func TestOutcomesOf(t *testing.T) {
	cases := []struct {
		res  kind.Result
		n    int
		want []HitOutcome
	}{
		{kind.Result{OK: 1}, 1, []HitOutcome{HitOK}},
		{kind.Result{Failed: 3}, 3, []HitOutcome{HitFailed, HitFailed, HitFailed}},
		{kind.Result{Unknown: 2}, 2, []HitOutcome{HitUnknown, HitUnknown}},
		// Invalid entries not named by Matomo: taken to be the last ones.
		{kind.Result{OK: 2, Rejected: 1}, 3, []HitOutcome{HitOK, HitOK, HitRejected}},
		// Counts that do not add up: the rest may have been recorded.
		{kind.Result{OK: 1}, 3, []HitOutcome{HitOK, HitUnknown, HitUnknown}},
		{kind.Result{OK: 5}, 2, []HitOutcome{HitOK, HitOK}},
	}
	for _, c := range cases {
		got := make([]HitOutcome, c.n)
		outcomesOf(c.res, got)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%+v over %d hits: %v, want %v", c.res, c.n, got, c.want)
		}
	}
}

// scriptSender answers each request with the result its function gives
// for the queries it carries.
type scriptSender struct {
	answer func(qs []string) kind.Result
}

func (s scriptSender) SendOne(_ context.Context, q, _ string) kind.Result {
	return s.answer([]string{q})
}

func (s scriptSender) SendBulk(_ context.Context, qs []string, _ string) kind.Result {
	return s.answer(qs)
}

// recordingJournal keeps what the executor journals, in order; after
// failAfter calls of Sending (0: never) it fails as a full disk would.
type recordingJournal struct {
	mu        sync.Mutex
	lines     []string
	calls     int
	failAfter int
}

var errDiskFull = errors.New("no space left on device")

func (j *recordingJournal) Sending(groups []Group) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.calls++
	if j.failAfter > 0 && j.calls > j.failAfter {
		j.lines = append(j.lines, "failed")
		return errDiskFull
	}
	for _, g := range groups {
		j.lines = append(j.lines, fmt.Sprintf("send v%d %d-%d", g.Job.Visit, g.From, g.To))
	}
	return nil
}

func (j *recordingJournal) Answered(job *Job, from, to int, outs []HitOutcome) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.lines = append(j.lines, fmt.Sprintf("answer v%d %d-%d %v", job.Visit, from, to, outs))
}

func jobOf(visit uint64, n int) Job {
	j := Job{Visit: visit, VisitHits: n}
	for i := range n {
		j.Hits = append(j.Hits, JobHit{Payload: fmt.Sprintf("v%d-%d", visit, i), Kind: kind.Pageview, Index: i})
	}
	return j
}

// TestClosedDeliveryPerVisit: each visit gets the outcome of its own hits,
// a failed hit ends the visit (the rest unsent), and every hit is
// journalled before it is sent and answered after.
func TestClosedDeliveryPerVisit(t *testing.T) {
	fail := map[string]bool{"v2-1": true}
	answer := func(qs []string) kind.Result {
		for _, q := range qs {
			if fail[q] {
				return kind.Result{Hits: len(qs), Failed: len(qs)}
			}
		}
		return kind.Result{Hits: len(qs), OK: len(qs)}
	}
	j := &recordingJournal{}
	tgt := &Target{Name: "t", Sender: scriptSender{answer}, Recorder: metrics.NewRecorder(0, nil)}
	c := &Closed{Targets: []*Target{tgt}, Concurrency: 1, Journal: j}
	c.Start(context.Background())
	got := map[uint64][]HitOutcome{}
	for v := uint64(1); v <= 2; v++ {
		err := c.Submit(context.Background(), context.Background(), 0, jobOf(v, 3), func(d Delivery) { got[v] = d.Hits })
		if err != nil {
			t.Fatal(err)
		}
		c.Drain()
	}
	want := map[uint64][]HitOutcome{1: {HitOK, HitOK, HitOK}, 2: {HitOK, HitFailed, HitUnsent}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("deliveries %v, want %v", got, want)
	}
	if n := (Delivery{Hits: got[2]}).Next(); n != 1 {
		t.Errorf("visit 2: next %d, want 1", n)
	}
	wantLines := []string{
		"send v1 0-1", "answer v1 0-1 [1]", "send v1 1-2", "answer v1 1-2 [1]", "send v1 2-3", "answer v1 2-3 [1]",
		"send v2 0-1", "answer v2 0-1 [1]", "send v2 1-2", "answer v2 1-2 [3]",
	}
	if !reflect.DeepEqual(j.lines, wantLines) {
		t.Errorf("journal\n%q\nwant\n%q", j.lines, wantLines)
	}
	if s := tgt.Recorder.Snapshot().Counters; s.OK != 4 || s.Failed != 1 || s.Unsent != 1 {
		t.Errorf("counters ok %d failed %d unsent %d, want 4 1 1", s.OK, s.Failed, s.Unsent)
	}
}

// TestBatcherSplitsOutcomePerGroup: a bulk request carries the groups of
// several visits; each gets its own slice of the answer.
func TestBatcherSplitsOutcomePerGroup(t *testing.T) {
	answer := func(qs []string) kind.Result {
		return kind.Result{Hits: len(qs), OK: len(qs) - 1, Rejected: 1}
	}
	tgt := &Target{Name: "t", Sender: scriptSender{answer}, Bulk: 5, Recorder: metrics.NewRecorder(0, nil)}
	b := newBatcher(context.Background(), tgt, time.Hour)
	outA, outB := make([]HitOutcome, 2), make([]HitOutcome, 3)
	ja, jb := jobOf(1, 2), jobOf(2, 3)
	da := b.submit([]string{"a0", "a1"}, []kind.HitKind{kind.Pageview, kind.Pageview}, outA, Group{&ja, 0, 2})
	db := b.submit([]string{"b0", "b1", "b2"}, []kind.HitKind{kind.Pageview, kind.Pageview, kind.Pageview}, outB, Group{&jb, 0, 3})
	<-da
	<-db
	if want := []HitOutcome{HitOK, HitOK}; !reflect.DeepEqual(outA, want) {
		t.Errorf("group a: %v, want %v", outA, want)
	}
	if want := []HitOutcome{HitOK, HitOK, HitRejected}; !reflect.DeepEqual(outB, want) {
		t.Errorf("group b: %v, want %v (the unnamed invalid entry is the request's last)", outB, want)
	}
}

// countingSender answers ok and counts the hits it was given.
type countingSender struct {
	mu   sync.Mutex
	hits int
}

func (c *countingSender) SendOne(context.Context, string, string) kind.Result {
	c.mu.Lock()
	c.hits++
	c.mu.Unlock()
	return kind.Result{Hits: 1, OK: 1}
}

func (c *countingSender) SendBulk(_ context.Context, qs []string, _ string) kind.Result {
	c.mu.Lock()
	c.hits += len(qs)
	c.mu.Unlock()
	return kind.Result{Hits: len(qs), OK: len(qs)}
}

// TestClosedJournalFailureSendsNothing: a hit the journal could not record
// is not sent, nor the rest of its visit (counted unsent), single and bulk.
func TestClosedJournalFailureSendsNothing(t *testing.T) {
	for _, bulk := range []int{0, 2} {
		j := &recordingJournal{failAfter: 1}
		s := &countingSender{}
		tgt := &Target{Name: "t", Sender: s, Bulk: bulk, Recorder: metrics.NewRecorder(0, nil)}
		c := &Closed{Targets: []*Target{tgt}, Concurrency: 1, Journal: j, BulkWait: time.Millisecond}
		c.Start(context.Background())
		job := jobOf(1, 4)
		job.Hits[2].Pause = 1 // bulk: two groups, hits 0-1 and 2-3
		var got []HitOutcome
		if err := c.Submit(context.Background(), context.Background(), 0, job, func(d Delivery) { got = d.Hits }); err != nil {
			t.Fatal(err)
		}
		c.Drain()
		wantSent, want := 1, []HitOutcome{HitOK, HitUnsent, HitUnsent, HitUnsent}
		if bulk > 0 {
			wantSent, want = 2, []HitOutcome{HitOK, HitOK, HitUnsent, HitUnsent}
		}
		if s.hits != wantSent || !reflect.DeepEqual(got, want) {
			t.Errorf("bulk %d: %d hits sent, outcomes %v; want %d, %v", bulk, s.hits, got, wantSent, want)
		}
		if k := tgt.Recorder.Snapshot().Counters; k.OK != int64(wantSent) || k.Unsent != int64(4-wantSent) {
			t.Errorf("bulk %d: ok %d, unsent %d", bulk, k.OK, k.Unsent)
		}
	}
}
