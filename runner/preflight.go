package runner

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
)

// ErrNoTarget is returned when no target passed the preflight: the run
// could not start (exit code 3).
var ErrNoTarget = errors.New("no target is reachable: the run cannot start")

// ErrInterrupted is returned when the run was interrupted (SIGINT,
// SIGTERM) before any traffic: the CLI exits 130, as for an interrupted run.
var ErrInterrupted = errors.New("interrupted before any traffic was sent")

// preflightTimeout bounds the checks of one target.
const preflightTimeout = 10 * time.Second

// preflight checks every enabled target at once, before any traffic, with
// requests that Matomo answers but never records (see matomo.Preflight).
// Unreachable targets are disabled for the run; with none left the run
// cannot start.
func (rt *runtime) preflight(ctx context.Context) ([]report.PreflightRow, error) {
	rows := make([]report.PreflightRow, len(rt.execTargets))
	var wg sync.WaitGroup
	for i, et := range rt.execTargets {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			tr := rt.targetByName(et.Name)
			cctx, cancel := context.WithTimeout(ctx, preflightTimeout)
			defer cancel()
			res := tr.client.Preflight(cctx)
			row := report.PreflightRow{
				Target: et.Name, Endpoint: tr.client.Endpoint(), Reachable: res.Reachable,
				Status: res.Status, LatencyMs: float64(res.Latency.Microseconds()) / 1000, Message: res.Message,
			}
			switch {
			case tr.plan.Token == "":
				row.Token = "none"
			case tr.sink != nil:
				row.Token = "ok" // the sink was configured with this very token
			case res.TokenOK == nil:
				row.Token = "unchecked"
			case *res.TokenOK:
				row.Token = "ok"
			default:
				row.Token = "refused"
			}
			rows[i] = row
		}(i)
	}
	wg.Wait()
	reachable := 0
	for _, row := range rows {
		if row.Reachable {
			reachable++
		}
	}
	if reachable == 0 {
		return rows, ErrNoTarget
	}
	for i, row := range rows {
		if !row.Reachable {
			rt.router.Disable(i)
			rt.preDisabled[row.Target] = report.Disabled{Reason: "preflight: " + row.Message}
		}
	}
	return rows, nil
}

func (rt *runtime) targetByName(name string) *targetRuntime {
	for _, t := range rt.targets {
		if t.plan.Name == name {
			return t
		}
	}
	return nil
}
