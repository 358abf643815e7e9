package runner

import (
	"errors"
	"fmt"

	"github.com/trafficinator/trafficinator/runner/internal/journal"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
)

// StateError says that the journal (--state) could not be created: the
// run did not start, and nothing was sent.
type StateError struct{ Err error }

func (e *StateError) Error() string { return e.Err.Error() }
func (e *StateError) Unwrap() error { return e.Err }

// ErrResumeRealtime: a realtime run cannot be resumed.
var ErrResumeRealtime = errors.New("the journal is of a realtime run, which cannot be resumed (only backfill runs can)")

// openJournal creates the run's journal: at opts.State, or in memory. A
// resumed journal must be of the same scenario and seed; its state is
// carried into the new file.
func openJournal(p *plan.Plan, opts Options) (*journal.Writer, error) {
	mode := "realtime"
	if p.Backfill != nil {
		mode = "backfill"
	}
	h := journal.Header{Format: journal.Format, Scenario: p.Name, Digest: p.Digest, Seed: p.Seed,
		RunID: opts.RunID, Mode: mode, Stride: plan.DayStride, Shard: shardName(opts.Shard)}
	st := journal.NewState(h)
	if r := opts.Resume; r != nil {
		if err := CheckResume(r.Header, p); err != nil {
			return nil, err
		}
		if err := CheckResumeShard(r.Header, opts.Shard); err != nil {
			return nil, err
		}
		st = r
		st.Header.RunID = opts.RunID
	}
	if opts.State == "" {
		return journal.InMemory(st), nil
	}
	w, err := journal.Create(opts.State, st)
	if err != nil {
		return nil, &StateError{err}
	}
	return w, nil
}

// CheckResumeShard refuses a journal of another shard, or of a whole run
// for a shard and the other way round: a journal's day figures count the
// visits of its own slice only.
func CheckResumeShard(h journal.Header, s *Shard) error {
	if want := shardName(s); h.Shard != want {
		return fmt.Errorf("the journal is of %s and this run is %s: a shard resumes only its own journal", describeShard(h.Shard), describeShard(want))
	}
	return nil
}

func shardName(s *Shard) string {
	if s == nil {
		return ""
	}
	return s.String()
}

func describeShard(name string) string {
	if name == "" {
		return "the whole run"
	}
	return "shard " + name
}

// CheckResume refuses a journal that is not of plan p: another scenario
// (digest), another seed (other visits), or a realtime run.
func CheckResume(h journal.Header, p *plan.Plan) error {
	switch {
	case h.Mode != "backfill":
		return ErrResumeRealtime
	case p.Backfill == nil:
		return errors.New("the scenario is not a backfill (run.mode: backfill); only a backfill can be resumed")
	case h.Digest != p.Digest:
		return fmt.Errorf("the journal is of another scenario (digest %s, this one %s)", h.Digest, p.Digest)
	case h.Seed != p.Seed:
		return fmt.Errorf("the journal is of seed %d and this run of seed %d: other seeds make other visits", h.Seed, p.Seed)
	}
	return nil
}
