// Package journal is the resume state of a backfill: an append-only file
// that records every hit before it is sent and its outcome after, so that
// a run killed at any moment (SIGKILL, OOM, a CI timeout) can be resumed
// without sending a hit twice.
//
// The file is a header record, then records of entries. Each record is
// framed by its length and a CRC-32C of its payload: a record cut short by
// a crash, the last one, is ignored when the file is read. Entries cover
// ranges of a visit's hits, and the visits all of whose hits were answered
// ok are kept as ranges of visit numbers, so a compacted journal (Compact)
// holds the visits still to settle, not one line per hit.
package journal

import "fmt"

// Format names the journal format; it is in every header.
const Format = "trafficinator.journal/v1"

// Header identifies the run a journal belongs to: a journal is resumed only
// by the same scenario (Digest) with the same Seed, which make the same
// visits.
type Header struct {
	Format   string `json:"format"`
	Scenario string `json:"scenario"` // the scenario's name, for messages
	Digest   string `json:"digest"`   // sha256 of the scenario file
	Seed     uint64 `json:"seed"`
	RunID    string `json:"run_id"`
	Mode     string `json:"mode"` // backfill or realtime (which cannot be resumed)
	// Stride groups visit numbers into days (plan.DayStride): the totals
	// of settled visits are kept per visit / Stride.
	Stride uint64 `json:"stride"`
	// Shard is the slice of the run the journal holds ("I/N", apply
	// --shard); "" for a whole run. A shard resumes only its own journal.
	Shard string `json:"shard,omitempty"`
}

// Outcome is the state of one hit in the journal.
type Outcome uint8

// Hit states. A hit recorded as Sending and never answered may have
// reached the target: it reads as Unknown.
const (
	None     Outcome = iota // never sent
	OK                      // recorded by the target
	Rejected                // refused: sending it again gets the same answer
	Failed                  // provably not recorded: to send again
	Unknown                 // sent, no answer known
	Sending                 // about to be sent (the answer is not journalled yet)
	maxOutcome
)

func (o Outcome) String() string {
	switch o {
	case None:
		return "none"
	case OK:
		return "ok"
	case Rejected:
		return "rejected"
	case Failed:
		return "failed"
	case Unknown:
		return "unknown"
	case Sending:
		return "sending"
	}
	return fmt.Sprintf("outcome(%d)", uint8(o))
}

// Entry is a range of one visit's hits that changed state.
type Entry struct {
	Visit   uint64
	Hits    int // how many hits the visit has
	From    int // first hit of the range
	To      int // one past the last
	Outcome Outcome
}
