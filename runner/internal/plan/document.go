package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"time"

	"github.com/trafficinator/trafficinator/scenario"
)

// APIVersion and Kind identify a plan document (schema/plan.v1.json).
const (
	APIVersion = "trafficinator/v1"
	Kind       = "Plan"
)

// Overrides are what the plan was compiled with besides the scenario: the
// command line's replacements and, for a backfill whose days depend on the
// clock, the moment its window was resolved. apply --plan compiles with
// them again, so that it runs the days and the visits that were reviewed.
type Overrides struct {
	Seed      *uint64  `json:"seed,omitempty"`
	Duration  Duration `json:"duration,omitempty"`
	MaxVisits int64    `json:"max_visits,omitempty"`
	// Now is the clock of a backfill whose window is relative (last_days)
	// or reaches the present: RFC 3339, UTC, whole seconds.
	Now string `json:"now,omitempty"`
}

// empty reports whether o records nothing.
func (o Overrides) empty() bool { return o == Overrides{} }

// Options returns the compile options that reproduce the plan: its
// overrides, and its seed as the one drawn when the scenario has none
// (a reviewed plan runs with the seed it shows).
func (o Overrides) Options(seed uint64) (Options, error) {
	opts := Options{Seed: o.Seed, Duration: o.Duration.D(), MaxVisits: o.MaxVisits,
		RandomSeed: func() uint64 { return seed }}
	if o.Now != "" {
		now, err := time.Parse(time.RFC3339, o.Now)
		if err != nil {
			return Options{}, err
		}
		opts.Now = func() time.Time { return now }
	}
	return opts, nil
}

// recordOverrides keeps the options that shaped p for its document.
func (p *Plan) recordOverrides(s *scenario.Scenario, opts Options, now time.Time) {
	o := Overrides{Seed: opts.Seed, Duration: Duration(opts.Duration), MaxVisits: opts.MaxVisits}
	if p.Backfill != nil && backfillNeedsClock(s, p.Backfill, now) {
		o.Now = now.UTC().Format(time.RFC3339)
	}
	if !o.empty() {
		p.Overrides = &o
	}
}

// backfillNeedsClock reports whether the backfill's days or visits depend
// on when the plan was made: a relative window moves with the date, and a
// window that reaches the present replays today only up to now.
func backfillNeedsClock(s *scenario.Scenario, b *Backfill, now time.Time) bool {
	if s.Run.Backfill != nil && s.Run.Backfill.LastDays > 0 {
		return true
	}
	return len(b.Days) > 0 && b.Days[len(b.Days)-1].End.After(now)
}

// Document returns the plan's JSON document as a tree of maps, slices,
// strings, bools and json.Numbers: apiVersion and kind, the scenario as
// resolved (secrets redacted), the overrides, the digest of both, and
// everything compiled from them with figures rounded to what they mean.
func Document(p *Plan) (map[string]any, error) {
	doc, err := toTree(p)
	if err != nil {
		return nil, err
	}
	m := doc.(map[string]any)
	roundFigures(m)
	m["apiVersion"], m["kind"] = APIVersion, Kind
	if p.scenarioDoc != nil {
		m["scenario"] = p.scenarioDoc
	}
	digest, err := inputsDigest(m)
	if err != nil {
		return nil, err
	}
	m["digest"] = digest
	return m, nil
}

// inputsDigest is "sha256:<hex>" of the canonical JSON (keys sorted, no
// spaces) of the document without its digest and without what says where
// it was made from (notCompared: file, file_digest, line, column): the
// resolved scenario with its secrets redacted, the overrides, and all
// that was compiled from them. A changed token leaves it as it is (no
// secret is in the document); a changed rate, site or URL does not, even
// when read from the environment (the scenario's copy redacts such
// values, the compiled stages and targets show them).
func inputsDigest(doc map[string]any) (string, error) {
	raw, err := json.Marshal(withoutPlace(doc, "")) // maps marshal with sorted keys
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// withoutPlace copies a document tree without its digest and the fields
// of notCompared (outside the scenario's copy, which is as written).
func withoutPlace(v any, path string) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if (path == "" && k == "digest") || (notCompared[k] && !inScenario(path)) {
				continue
			}
			out[k] = withoutPlace(e, join(path, k))
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = withoutPlace(e, path+"[]")
		}
		return out
	}
	return v
}

// fileDigest is "sha256:<hex>" of the file at path, read up to the size a
// URL file may have, or "" when it cannot be read.
func fileDigest(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, io.LimitReader(f, scenario.MaxURLFileSize+1)); err != nil {
		return ""
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// toTree converts v to a JSON tree, numbers kept exactly as encoded.
func toTree(v any) (any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var tree any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return nil, err
	}
	return tree, nil
}

// scenarioTree is the scenario as resolved, in JSON form, with every
// secret redacted: token fields and header values by name, URL
// credentials, and every value
// read from the environment (at least 4 bytes long) wherever it appears.
func scenarioTree(s *scenario.Scenario) any {
	tree, err := toTree(s)
	if err != nil {
		return nil
	}
	var secrets []string
	if s.Source != nil {
		secrets = s.Source.Secrets
	}
	m, _ := tree.(map[string]any)
	targets, _ := m["targets"].([]any)
	for _, t := range targets {
		tm, _ := t.(map[string]any)
		for _, f := range []string{"token_auth", "verify_token"} {
			if v, ok := tm[f].(string); ok && v != "" {
				tm[f] = scenario.Redacted
			}
		}
		// Header values may carry credentials; the compiled targets show
		// them as [redacted] (kind.Settings), and so does this copy.
		if h, ok := tm["headers"].(map[string]any); ok {
			for k, v := range h {
				if v != "" {
					h[k] = scenario.Redacted
				}
			}
		}
		for _, f := range []string{"url", "api_url", "site_url"} {
			if v, ok := tm[f].(string); ok {
				tm[f] = scenario.RedactURL(v)
			}
		}
	}
	return redactTree(tree, secrets)
}

func redactTree(v any, secrets []string) any {
	switch x := v.(type) {
	case string:
		return scenario.RedactString(x, secrets)
	case map[string]any:
		for k, e := range x {
			x[k] = redactTree(e, secrets)
		}
	case []any:
		for i, e := range x {
			x[i] = redactTree(e, secrets)
		}
	}
	return v
}
