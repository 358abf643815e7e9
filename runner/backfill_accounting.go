package runner

import (
	"fmt"
	"strings"
	"sync"

	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/journal"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/report"
)

// Backfill accounts by visit, from the journal (docs/backfill.md#accounting):
// every hit is journalled before it is sent and with its outcome after,
// so the journal's state is both the day rows of the report and the
// resume state. A run without a journal file keeps the same state in
// memory.

// Built-in verdicts of a backfill.
const (
	VerdictUndelivered = "undelivered_visits"
	VerdictRejected    = "rejected_hits"
	VerdictUnknown     = "unknown_hits"
)

// execJournal hands the executor's hits to the journal under their index
// in the visit (a resumed job carries only some of them). failed is
// called (once) when the journal cannot be written: nothing more is sent,
// and the run must stop.
type execJournal struct {
	w      *journal.Writer
	failed func(error)
	once   *sync.Once
}

func (j execJournal) Sending(groups []exec.Group) error {
	entries := make([]journal.Entry, 0, len(groups))
	for _, g := range groups {
		job := g.Job
		for a := g.From; a < g.To; {
			b := runEnd(job, a, g.To, nil)
			entries = append(entries, journal.Entry{Visit: job.Visit, Hits: job.VisitHits,
				From: job.Hits[a].Index, To: job.Hits[b-1].Index + 1, Outcome: journal.Sending})
			a = b
		}
	}
	err := j.w.Sending(entries...)
	if err != nil && j.failed != nil {
		j.once.Do(func() { j.failed(err) })
	}
	return err
}

func (j execJournal) Answered(job *exec.Job, from, to int, outs []exec.HitOutcome) {
	for a := from; a < to; {
		b := runEnd(job, a, to, outs[a-from:])
		j.w.Answered(job.Visit, job.VisitHits, job.Hits[a].Index, job.Hits[b-1].Index+1, journalOutcome(outs[a-from]))
		a = b
	}
}

// runEnd returns the end of the run of hits from a (before to) whose
// indices follow each other and, with outs (starting at a), whose
// outcomes are the same.
func runEnd(job *exec.Job, a, to int, outs []exec.HitOutcome) int {
	b := a + 1
	for b < to && job.Hits[b].Index == job.Hits[b-1].Index+1 && (outs == nil || outs[b-a] == outs[0]) {
		b++
	}
	return b
}

func journalOutcome(o exec.HitOutcome) journal.Outcome {
	switch o {
	case exec.HitOK:
		return journal.OK
	case exec.HitRejected:
		return journal.Rejected
	case exec.HitFailed:
		return journal.Failed
	}
	return journal.Unknown // an answered hit is never unsent
}

// hitOutcome reads a journalled state as the executor's outcome; a hit
// journalled as being sent and never answered may have reached the
// target: unknown.
func hitOutcome(o journal.Outcome) exec.HitOutcome {
	switch o {
	case journal.OK:
		return exec.HitOK
	case journal.Rejected:
		return exec.HitRejected
	case journal.Failed:
		return exec.HitFailed
	case journal.Unknown, journal.Sending:
		return exec.HitUnknown
	}
	return exec.HitUnsent
}

// toSend says which hits of a visit the journal still wants sent: the
// failed ones and those never sent (and, with resendUnknown, those of
// unknown outcome). prior is the journal's state of the visit, nil when
// it has none (the whole visit is sent). It returns nil when nothing is
// left to send.
func toSend(prior []journal.Outcome, n int, resendUnknown bool) []bool {
	keep := make([]bool, n)
	any := false
	for i := range keep {
		o := journal.None
		if prior != nil && len(prior) == n {
			o = prior[i]
		}
		keep[i] = o == journal.None || o == journal.Failed || (resendUnknown && o == journal.Unknown)
		any = any || keep[i]
	}
	if !any {
		return nil
	}
	return keep
}

// pending reports whether visit v has hits the run must send, without
// building it (nil state: it was never started).
func pending(st *journal.State, v uint64, resendUnknown bool) (bool, []journal.Outcome) {
	if st.Settled(v) {
		return false, nil
	}
	hs := st.Hits(v)
	if hs == nil {
		return true, nil
	}
	return toSend(hs, len(hs), resendUnknown) != nil, hs
}

// trimJob keeps the hits of job that keep marks, numbered by their index
// in the visit; hits without pause before them keep none (backfill has no
// real pauses).
func trimJob(job *exec.Job, keep []bool) {
	n := len(job.Hits)
	job.VisitHits = n
	out := job.Hits[:0]
	for i := 0; i < n; i++ {
		h := job.Hits[i]
		h.Index = i
		if keep == nil || keep[i] {
			out = append(out, h)
		}
	}
	job.Hits = out
}

// tallyDay makes the row of day from the journal's state; planned is how
// many of the day's visits are this run's (all but in a shard).
func tallyDay(st *journal.State, day plan.Day, planned int64) report.DayRow {
	row := report.DayRow{Date: day.Date, Planned: planned}
	if planned <= 0 {
		row.Complete = true
		return row
	}
	row.Delivered, row.OK = st.SettledIn(day.First)
	started := row.Delivered
	st.Unsettled(day.First, day.First+uint64(day.Visits), func(_ uint64, hs []journal.Outcome) {
		started++
		var c [6]int64
		for _, o := range hs {
			c[o]++
		}
		row.OK += c[journal.OK]
		row.Rejected += c[journal.Rejected]
		row.Failed += c[journal.Failed]
		row.Unknown += c[journal.Unknown]
		row.Unsent += c[journal.None]
		switch {
		case c[journal.Failed]+c[journal.None] > 0:
			row.Undelivered++
		case c[journal.Rejected] > 0:
			row.RejectedVisits++
		default:
			row.UnknownVisits++
		}
	})
	row.Undelivered += max(0, planned-started) // never started
	row.Complete = row.Undelivered == 0
	return row
}

// dayLeft reports whether the run has anything to send for a day whose
// row is row.
func dayLeft(row report.DayRow, resendUnknown bool) bool {
	return row.Undelivered > 0 || (resendUnknown && row.UnknownVisits > 0)
}

// verdicts are the backfill's built-in failures: undelivered visits
// (resume them); rejected hits (resending them is pointless: they would
// be refused again, so the day is complete, but the run must not pass as
// if Matomo had them); and hits of unknown outcome (not resent, so their
// day is complete, but nobody knows that Matomo has them: check, or
// resume with --resend-unknown at the risk of recording them twice).
func verdicts(rows []report.DayRow, state string) []report.Verdict {
	var undelivered, rejected, rejectedVisits, unknown, unknownVisits int64
	var days []string
	for _, r := range rows {
		undelivered += r.Undelivered
		rejected += r.Rejected
		rejectedVisits += r.RejectedVisits
		unknown += r.Unknown
		unknownVisits += r.UnknownVisits
		if r.Undelivered > 0 {
			days = append(days, r.Date)
		}
	}
	var out []report.Verdict
	if undelivered > 0 {
		how := "resume with --resume JOURNAL"
		if state != "" {
			how = "resume with --resume " + state
		}
		out = append(out, report.Verdict{Name: VerdictUndelivered, Message: fmt.Sprintf(
			"%d visits not delivered (hits failed or not sent) on %d day(s): %s; %s",
			undelivered, len(days), shortList(days, 5), how)})
	}
	if rejected > 0 {
		out = append(out, report.Verdict{Name: VerdictRejected, Message: fmt.Sprintf(
			"Matomo refused %d hits of %d visits; they are not resent (they would be refused again): see the targets' errors",
			rejected, rejectedVisits)})
	}
	if unknown > 0 {
		out = append(out, report.Verdict{Name: VerdictUnknown, Message: fmt.Sprintf(
			"%d hits were sent without a known answer (timeout or reset after the request was sent); Matomo may or may not have them. "+
				"They are not resent: --resume --resend-unknown resends them, at the risk of recording them twice", unknown)})
	}
	return out
}

func shortList(s []string, n int) string {
	if len(s) <= n {
		return strings.Join(s, ", ")
	}
	return strings.Join(s[:n], ", ") + fmt.Sprintf(" and %d more", len(s)-n)
}

// applyVerdicts makes a backfill with a verdict fail: never passed,
// whatever the policies say. An interrupted or aborted run keeps its
// outcome (and exit code); the verdicts say what it left.
func applyVerdicts(r *report.Report) {
	if len(r.Backfill.Verdicts) == 0 || r.Run.Outcome != OutcomePassed {
		return
	}
	r.Run.Outcome, r.Run.ExitCode = OutcomeFailed, 1
}
