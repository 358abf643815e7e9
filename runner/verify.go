package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/verify"
	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// VerifyOptions tune delivery verification (docs/verify.md): apply
// --verify right after the traffic, or trafficinator verify later.
type VerifyOptions struct {
	// Baseline is subtracted from what the sites recorded. apply --verify
	// reads its own before any traffic when it is nil.
	Baseline *Baseline
	// Wait bounds how long a day that is not archived is read again.
	Wait time.Duration
	// Sample is how many sampled visits to compare (0: all the report has).
	Sample int
	// Settle bounds the wait for the last hits to be queryable (apply
	// --verify): Live.getCounters is read until it stops changing.
	Settle time.Duration
}

// DefaultSettle is apply --verify's bound on waiting for the last hits.
const DefaultSettle = 30 * time.Second

// Baseline is what the sites recorded before a run (verify --save-baseline).
type Baseline = verify.Baseline

// DecodeBaseline reads a baseline file's content.
func DecodeBaseline(data []byte) (*Baseline, error) { return verify.DecodeBaseline(data) }

// ReadBaselineFile reads the baseline file at path.
func ReadBaselineFile(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return verify.DecodeBaseline(data)
}

// anonymousToken is what a target without a token sends to the built-in
// sink, which answers without one (Matomo's own name for no token).
const anonymousToken = "anonymous"

// client is a target's Reporting API client, or why it has none: skip
// (nothing to ask) or failed (a client that could not be made).
type client struct {
	api          verify.API
	skip, failed string
}

// apiFor makes the Reporting API client of one target, or says why not.
func apiFor(s *kind.Settings, url string) client {
	token := s.VerifyToken
	if token == "" && s.Kind == "sink" {
		token = anonymousToken
	}
	switch {
	case token == "":
		return client{skip: fmt.Sprintf("target %s has no verify_token and no token_auth: verification needs a token with view access on site %d", s.Name, s.SiteID)}
	}
	api, err := newReportingAPI(verify.Config{
		URL: url, SiteID: s.SiteID, Token: token, Settings: s,
		HTTP: &http.Client{Timeout: max(s.Timeout.D(), 30*time.Second)}, UserAgent: "trafficinator-verify",
	})
	if err != nil {
		return client{failed: "Reporting API client: " + err.Error()}
	}
	return client{api: api}
}

// laterAPI is a target's client for verification after the run, from its
// settings (trafficinator verify).
func laterAPI(pt *plan.Target) client {
	s := &pt.Settings
	switch {
	case !pt.Enabled:
		return client{skip: "the target is disabled in the scenario"}
	case s.Kind == "sink":
		return client{skip: "kind sink: its Reporting API lived only during the run; use apply --verify"}
	}
	url, ok := reportingURL(s)
	if !ok {
		return client{skip: "kind " + s.Kind + " has no Reporting API"}
	}
	return apiFor(s, url)
}

// openedAPI is a target's client during the run (apply --verify): the
// opened target knows where its Reporting API is (a sink's own server).
func openedAPI(t *targetRuntime) client {
	if !t.plan.Enabled {
		return client{skip: "the target is disabled in the scenario"}
	}
	ra, ok := t.target.(kind.ReportingAPI)
	if !ok {
		return client{skip: "kind " + t.plan.Kind + " has no Reporting API"}
	}
	return apiFor(&t.plan.Settings, ra.ReportingURL())
}

// verifyReport verifies every target of r with the clients apis gives,
// sums up, and judges the result (policies, exit code).
func verifyReport(ctx context.Context, r *report.Report, apis func(name string) client, o VerifyOptions) {
	vo := verify.Options{Baseline: o.Baseline, Wait: o.Wait, Sample: o.Sample}
	for i := range r.Targets {
		t := &r.Targets[i]
		c := apis(t.Name)
		v := verify.Verify(ctx, verify.Target{Name: t.Name, API: c.api, Skip: c.skip, Failed: c.failed, Expected: t.Expected}, vo)
		t.Verification = &v
	}
	r.Verification = verify.Summarize(r.Targets)
	judgeVerification(r)
}

// VerifyReport verifies a finished run later (trafficinator verify): the
// targets' settings come from p (the run's scenario), what was expected
// from r, which gets the result.
func VerifyReport(ctx context.Context, p *Plan, r *report.Report, o VerifyOptions) {
	resetVerification(r)
	verifyReport(ctx, r, func(name string) client {
		pt := planTarget(p, name)
		if pt == nil {
			return client{skip: "the scenario has no target " + name}
		}
		return laterAPI(pt)
	}, o)
}

// SaveBaseline reads, before a run of p, what its targets' sites recorded
// over the days the run will touch (verify --save-baseline).
func SaveBaseline(ctx context.Context, p *Plan) *Baseline {
	b := &Baseline{Version: verify.BaselineVersion, Taken: time.Now().UTC()}
	for i := range p.Targets {
		pt := &p.Targets[i]
		c := laterAPI(pt)
		bt := verify.ReadBaseline(ctx, pt.Name, pt.SiteID, c.api, runDays(p), p.Timezone, time.Now())
		if c.api == nil {
			bt.Skipped = c.skip + c.failed
		}
		b.Targets = append(b.Targets, bt)
	}
	return b
}

// runDays are a backfill's days; nil for a realtime run.
func runDays(p *Plan) []string {
	if p.Backfill == nil {
		return nil
	}
	out := make([]string, len(p.Backfill.Days))
	for i, d := range p.Backfill.Days {
		out[i] = d.Date
	}
	return out
}

func planTarget(p *Plan, name string) *plan.Target {
	for i := range p.Targets {
		if p.Targets[i].Name == name {
			return &p.Targets[i]
		}
	}
	return nil
}

// WriteBaselineFile writes b as JSON to path (verify --save-baseline).
func WriteBaselineFile(path string, b *Baseline) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
