package runner

import (
	"context"
	"errors"
	"fmt"
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
// requests that the target answers but never records (see matomo.Preflight).
// An unreachable target stops the run (RequiredTargetError) unless it is
// optional: then it is disabled for the run, with a warning in the report
// and in optional_unavailable. With no target left the run cannot start.
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
			res := tr.target.Preflight(cctx)
			rows[i] = report.PreflightRow{
				Target: et.Name, Endpoint: tr.target.Endpoint(), Reachable: res.Reachable, Token: res.Token,
				Status: res.Status, LatencyMs: float64(res.Latency.Microseconds()) / 1000, Message: res.Message,
				Optional: tr.plan.Optional,
			}
		}(i)
	}
	wg.Wait()
	reachable := 0
	var required []report.PreflightRow
	for _, row := range rows {
		switch {
		case row.Reachable:
			reachable++
		case !row.Optional:
			required = append(required, row)
		}
	}
	if len(required) > 0 {
		return rows, &RequiredTargetError{Failed: required}
	}
	if reachable == 0 {
		return rows, ErrNoTarget
	}
	for i, row := range rows {
		if !row.Reachable {
			rt.router.Disable(i)
			rt.preDisabled[row.Target] = report.Disabled{Reason: "preflight (optional target): " + row.Message}
			rt.optionalUnavailable++
			rt.warnings = append(rt.warnings, fmt.Sprintf(
				"optional target %s failed the preflight (%s) and was left out of the run; its share went to the other targets", row.Target, row.Message))
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
