package runner

import (
	"context"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
)

// Preflight runs the checks apply runs before any traffic, and nothing
// else: the targets are opened, asked what the preflight asks (requests
// a target answers but never records) and closed. The control page's
// Test button (trafficinator ui). The error is apply's: a required target
// unreachable (*RequiredTargetError), none reachable (ErrNoTarget), or a
// plan that cannot run (a secret not set); rows are set whenever the
// checks ran.
func Preflight(ctx context.Context, p *Plan) ([]report.PreflightRow, error) {
	if err := p.CheckRunnable(); err != nil {
		return nil, err // placeholders for secrets are never sent
	}
	rt, err := newRuntime(p, Options{RunID: newRunID(), Window: time.Minute, Logf: func(string, ...any) {}})
	if err != nil {
		return nil, err
	}
	defer rt.close()
	return rt.preflight(ctx)
}
