// Package runner turns a plan into traffic: it opens every target through
// its kind (targets/kind), builds one recorder per target, routes visits,
// runs the executor and returns the report.
package runner

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/gates"
	"github.com/trafficinator/trafficinator/runner/internal/journal"
	"github.com/trafficinator/trafficinator/runner/internal/live"
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/route"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/targets"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// Options tune a run.
type Options struct {
	// RunID is part of every order id, so that two runs never collide in
	// Matomo's order de-duplication. Empty: a random one.
	RunID string
	// Grace is how long in-flight visits may finish once arrivals end (a
	// stop, or the end of the schedule): 0 cancels them at once and counts
	// their hits unsent; exec.WaitForAll waits for them however long.
	Grace time.Duration
	// HardStop, when cancelled (a second Ctrl-C), stops the run at once:
	// the requests in flight are cancelled, their hits counted unsent (or
	// unknown when a request was on the wire), and Run still returns the
	// report with what is known. Cancelling ctx is the graceful stop.
	HardStop context.Context
	// Logf receives log lines (daily-cap pauses, grace expiry, ...).
	Logf func(format string, args ...any)
	// Progress, when set, is called about once a second during the run.
	Progress func(Progress)
	// Window is the span of the sliding metrics window.
	Window time.Duration
	// NoPreflight skips the reachability and token checks before traffic.
	NoPreflight bool
	// OnPreflight receives the preflight results before traffic starts.
	OnPreflight func([]report.PreflightRow)
	// State is the journal file to write (docs/backfill.md#the-journal);
	// "" keeps the accounting in memory only.
	State string
	// Resume is the journal of an earlier backfill of the same scenario
	// and seed: what it delivered is not sent again.
	Resume *journal.State
	// ResendUnknown also resends the hits the journal marks unknown (at
	// the risk of recording them twice).
	ResendUnknown bool
	// MaxRPS caps the visits a backfill starts per second (apply
	// --max-rps): the ceiling of rps: auto, or a lower cap of a fixed rps.
	// 0: none.
	MaxRPS float64
	// Live, when set, receives the run's figures before traffic starts;
	// they stay readable after Run returns (apply --metrics-addr).
	Live func(live.Source)
	// VerifySample is how many visits of each target the report samples
	// for verification (report.Expected.Sample): 0 is 50, negative none.
	VerifySample int
	// Verify, when set, verifies delivery right after the traffic, while
	// the targets are still open (apply --verify, docs/verify.md).
	Verify *VerifyOptions
	// Shard, when set, runs only the visits of that slice of the run
	// (ShardOf), each exactly as the whole run would send it; the
	// report says which shard it holds.
	Shard *Shard
}

// Progress is a snapshot for progress lines, the one the live page shows.
type Progress = live.Progress

// Run executes p and returns its report. The report is complete even when
// ctx is cancelled (SIGINT): in-flight visits get the grace period first.
func Run(ctx context.Context, p *plan.Plan, opts Options) (*report.Report, error) {
	if err := p.CheckRunnable(); err != nil {
		return nil, err // placeholders for secrets are never sent
	}
	if err := CheckShard(opts.Shard); err != nil {
		return nil, err
	}
	if opts.RunID == "" && opts.Resume != nil {
		// The same run id keeps the order ids of the resumed run.
		opts.RunID = opts.Resume.Header.RunID
	}
	if opts.RunID == "" {
		opts.RunID = newRunID()
	}
	if opts.Window <= 0 {
		// Keep as much history as the longest policy window, and a minute
		// for progress lines.
		opts.Window = max(time.Minute, gates.LongestWindow(p))
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	logs := newLogRing(p.Secrets())
	opts.Logf = logs.tee(opts.Logf)
	jw, err := openJournal(p, opts)
	if err != nil {
		return nil, err
	}
	defer func() { _ = jw.Close() }()
	rt, err := newRuntime(p, opts)
	if err != nil {
		return nil, err
	}
	defer rt.close()
	rt.logs = logs
	var rows []report.PreflightRow
	if !opts.NoPreflight {
		rows, err = rt.preflight(ctx)
		if opts.OnPreflight != nil {
			opts.OnPreflight(rows)
		}
		if ctx.Err() != nil {
			// Targets cut off by the interruption are not unreachable.
			return nil, ErrInterrupted
		}
		if err != nil {
			return nil, err
		}
		for _, w := range rt.warnings {
			opts.Logf("warning: %s", w)
		}
	}
	if ctx.Err() != nil {
		return nil, ErrInterrupted
	}
	var base *Baseline
	if opts.Verify != nil {
		base = rt.baseline(ctx, opts)
	}

	if p.Backfill != nil {
		out, days, g, ser := runBackfill(ctx, rt, opts, jw)
		if err := jw.Close(); err != nil {
			opts.Logf("warning: %v", err)
		}
		r := rt.report(out, g, ser, opts)
		r.Preflight, r.Warnings = rows, rt.warnings
		r.Backfill = rt.backfillReport(ctx, days)
		r.Backfill.State = opts.State
		r.Backfill.Verdicts = verdicts(days, opts.State)
		applyVerdicts(r)
		rt.verify(ctx, r, opts, base)
		return r, nil
	}

	e := &exec.Executor{
		Pacer: p.Pacer(), Router: rt.router, Targets: rt.execTargets,
		Concurrency: p.Concurrency, MaxVisits: p.Stop.MaxVisits, DailyCap: p.Stop.DailyCap,
		Duration: p.Stop.Duration.D(), Grace: opts.Grace, HardStop: opts.HardStop, Logf: opts.Logf,
	}
	if s := opts.Shard; s != nil {
		e.Skip = func(n uint64) bool { return !owns(s, n) }
	}
	g := newGate(rt, e, opts.Logf)
	ser := newSeries(time.Now())
	src := newLiveSource(rt, g, opts.RunID)
	if opts.Live != nil {
		opts.Live(src)
	}
	stopTicker := rt.tick(e, g, ser, opts)
	out := e.Run(ctx)
	src.finish(out.End.Sub(out.Start))
	stopTicker()
	ser.finish(out.End, rt)
	g.final(out)
	r := rt.report(out, g, ser, opts)
	r.Preflight, r.Warnings = rows, rt.warnings
	rt.verify(ctx, r, opts, base)
	return r, nil
}

// runtime is what a run holds per target.
type runtime struct {
	plan        *plan.Plan
	targets     []*targetRuntime
	execTargets []*exec.Target
	encoders    []kind.Encoder // of each exec target, in the same order
	samplers    []sampler      // of each exec target, in the same order
	router      route.Router
	preDisabled map[string]report.Disabled // targets the preflight took out
	// optionalUnavailable counts the optional targets the preflight took
	// out (policy variable optional_unavailable); warnings say which.
	optionalUnavailable int64
	warnings            []string
	configs             map[string]*visit.Config // the visit model of each enabled target
	auto                *report.AutoRate         // what rps: auto found (backfill_auto.go)
	// logs keep the last log lines for the live page.
	logs *logRing
}

type targetRuntime struct {
	plan     *plan.Target
	target   kind.Target // opened by the target's kind
	recorder *metrics.Recorder
}

func newRuntime(p *plan.Plan, opts Options) (*runtime, error) {
	rt := &runtime{plan: p, preDisabled: map[string]report.Disabled{}, configs: map[string]*visit.Config{}}
	pages, err := loadPages(p)
	if err != nil {
		return nil, err
	}
	// The router and the executor both index the enabled targets only.
	var weights []float64
	for i := range p.Targets {
		pt := &p.Targets[i]
		tr, err := startTarget(p, pt)
		if err != nil {
			rt.close()
			return nil, fmt.Errorf("target %s: %w", pt.Name, err)
		}
		tr.recorder = metrics.NewRecorder(opts.Window, nil)
		rt.targets = append(rt.targets, tr)
		if !pt.Enabled {
			continue
		}
		cfg, err := visitConfig(p, pt, pages, opts.RunID)
		if err != nil {
			rt.close()
			return nil, fmt.Errorf("target %s: %w", pt.Name, err)
		}
		rt.configs[pt.Name] = cfg
		tr.recorder.Expect(metrics.ExpectConfig{Loc: p.Location(), SampleSize: sampleSize(opts), Returning: cfg.Returning != nil})
		smp := newSampler(p.Seed, opts.RunID, tr.recorder)
		rt.samplers = append(rt.samplers, smp)
		build := newBuilder(p, cfg, tr.target, smp)
		rt.execTargets = append(rt.execTargets, &exec.Target{
			Name: pt.Name, Sender: tr.target, Bulk: pt.Bulk, Recorder: tr.recorder, Build: build,
			Count: hitCounter(p, cfg),
		})
		rt.encoders = append(rt.encoders, tr.target)
		weights = append(weights, pt.Weight)
	}
	r, err := route.New(p.Routing, weights, p.Seed)
	if err != nil {
		rt.close()
		return nil, err
	}
	rt.router = r
	return rt, nil
}

// maxConnsPerTarget bounds a target's connection pool. Visits in flight
// (run.concurrency) mostly wait in their pauses; requests in flight are
// far fewer (rate × latency). A pool sized to the visits lets one burst of
// timers (a GC pause, a busy machine) open thousands of connections that
// then stay open and idle: 30 KiB each here, and a server worker each at
// the target. Requests beyond the bound wait for a connection.
const maxConnsPerTarget = 512

// startTarget opens one target through its kind (a kind with a server of
// its own, like sink, starts it).
func startTarget(p *plan.Plan, pt *plan.Target) (*targetRuntime, error) {
	k, ok := targets.Lookup(pt.Kind)
	if !ok {
		return nil, fmt.Errorf("unknown target kind %q", pt.Kind)
	}
	t, err := k.Open(&pt.Settings, kind.Env{Timezone: p.Timezone, MaxConns: min(p.Concurrency, maxConnsPerTarget)})
	if err != nil {
		return nil, err
	}
	return &targetRuntime{plan: pt, target: t}, nil
}

func (rt *runtime) close() {
	for _, t := range rt.targets {
		_ = t.target.Close()
	}
}

func newRunID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
