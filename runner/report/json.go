package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/trafficinator/trafficinator/runner/internal/gates"
)

// WriteJSON writes r in the one canonical encoding of a report: indented
// by two spaces, without HTML escaping (a policy reads "p95_ms > 250", not
// "p95_ms \u003e 250"), ending in a newline, with empty lists and maps as
// [] and {} rather than null. apply --out, apply --format json and the
// report commands all write it, so a report read by Decode and written
// again is the same, byte for byte.
func WriteJSON(w io.Writer, r *Report) error {
	return encodeJSON(w, normalized(r))
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// normalized returns a copy of r whose lists and maps the schema requires
// are non-nil; r is left alone.
func normalized(r *Report) *Report {
	c := *r
	c.Targets = make([]Target, len(r.Targets))
	for i, t := range r.Targets {
		c.Targets[i] = normalTarget(t)
	}
	c.Total = normalTarget(r.Total)
	c.Policies = make([]gates.Firing, len(r.Policies))
	for i, f := range r.Policies {
		if f.Values == nil {
			f.Values = map[string]float64{}
		}
		c.Policies[i] = f
	}
	if c.PoliciesDefined == nil {
		c.PoliciesDefined = []PolicyDef{}
	}
	if v := r.Verification; v != nil {
		nv := *v
		nv.Rows = nonNil(nv.Rows)
		if nv.Targets == nil {
			nv.Targets = map[string]int{}
		}
		c.Verification = &nv
	}
	if b := r.Backfill; b != nil && b.Days == nil {
		nb := *b
		nb.Days = []DayRow{}
		c.Backfill = &nb
	}
	return &c
}

// nonNil returns s, or an empty slice for nil: the schema requires lists.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func normalTarget(t Target) Target {
	if v := t.Verification; v != nil {
		nv := *v
		nv.Rows, nv.SampleMismatches = nonNil(nv.Rows), nonNil(nv.SampleMismatches)
		t.Verification = &nv
	}
	if t.Series == nil {
		t.Series = []Point{}
	}
	if t.Counters.HitsByKind == nil {
		t.Counters.HitsByKind = map[string]int64{}
	}
	if t.Counters.Status == nil {
		t.Counters.Status = map[string]int64{}
	}
	if t.Planned.HitsByKind == nil {
		t.Planned.HitsByKind = map[string]Pair{}
	}
	return t
}

// Decode reads a report written by WriteJSON, of this version or v2 (kept
// as it is: a v2 report has no expected figures). It rejects unknown
// fields, another version and trailing data; for messages that point at
// the offending field, validate against schema/report.v3.json first
// (after CheckVersion, whose message is clearer for an old report).
func Decode(data []byte) (*Report, error) {
	if err := CheckVersion(data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r Report
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("not a report: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("not a report: data after the JSON object")
	}
	if !Readable(r.Version) {
		return nil, fmt.Errorf("report version %q is not supported (want %q or %q)", r.Version, Version, VersionV2)
	}
	return &r, nil
}

// VersionV1 is the report format before the unknown outcome.
const VersionV1 = "trafficinator.report/v1"

// ErrVersionV1 refuses a v1 report. Its counts do not mean what v2 and v3
// counts mean: a v1 run retried requests that had reached Matomo and counted
// timeouts as failed, so its failed hits may have been recorded (once or
// several times). Merging or comparing them with v2 figures would mix the
// two meanings; docs/reports.md says so.
var ErrVersionV1 = errors.New(`this is a "trafficinator.report/v1" report, written before the unknown outcome existed (its failed hits include timeouts that Matomo may have recorded); this version reads "trafficinator.report/v3" and "trafficinator.report/v2" reports only: run the scenario again, or read it with the trafficinator that wrote it`)

// CheckVersion refuses a document whose version is v1, with ErrVersionV1;
// any other problem is left to the schema and Decode.
func CheckVersion(data []byte) error {
	var head struct {
		Version any `json:"version"`
	}
	if json.Unmarshal(data, &head) == nil && head.Version == VersionV1 {
		return ErrVersionV1
	}
	return nil
}

// UnmarshalJSON keeps the sink's stats as raw JSON: they are free-form,
// and decoding them into maps would reorder their keys when written again.
func (s *SinkStats) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var raw struct {
		Target string          `json:"target"`
		Stats  json.RawMessage `json:"stats"`
	}
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	s.Target, s.Stats = raw.Target, nil
	if len(raw.Stats) > 0 {
		s.Stats = raw.Stats
	}
	return nil
}
