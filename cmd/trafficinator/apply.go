package main

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/report"
)

func applyCommand() *cli.Command {
	return &cli.Command{
		Name:      "apply",
		Usage:     "run a scenario against its targets and report",
		ArgsUsage: "FILE",
		Description: "Exit codes: 0 passed, 1 a fail or abort policy fired or a backfill left visits undelivered, " +
			"2 invalid scenario or usage, or an output (--out, --junit, --state) that cannot be written or names " +
			"an input (checked before any traffic), 3 the run could not start, 130 interrupted at any phase (Ctrl-C, or Stop on the --ui live page) " +
			"(after traffic started, the report is still printed and written; a second Ctrl-C cancels the requests " +
			"in flight at once); with --verify, 1 also when verification fails (docs/verify.md). A write that fails after the run keeps the run's exit code and is reported on stderr.",
		Flags: append([]cli.Flag{
			formatFlag("report", report.ReportFormats),
			envFileFlag(),
			&cli.Uint64Flag{Name: "seed", Usage: "replace run.seed with `N`", DefaultText: fromScenario},
			&cli.DurationFlag{Name: "duration", Usage: "replace run.duration with `DURATION` (a wall-clock bound on arrivals, above 0)", DefaultText: fromScenario},
			&cli.Int64Flag{Name: "max-visits", Usage: "replace run.max_visits with `N`", DefaultText: fromScenario},
			&cli.Float64Flag{Name: "max-rps", Usage: "backfill: start at most `N` visits a second: the ceiling of rps: auto, or a lower cap of a fixed rps", DefaultText: "none"},
			&cli.DurationFlag{Name: "grace", Value: 30 * time.Second, Usage: "how long in-flight visits may finish after a stop (0: none, cancel them at once)"},
			&cli.StringFlag{Name: "out", Usage: "also write the JSON report to `FILE`"},
			reviewedPlanFlag(),
			junitFlag(),
			&cli.StringFlag{Name: "run-id", Usage: "run id used in order ids (default: random)"},
			shardFlag(),
			&cli.BoolFlag{Name: "no-preflight", Usage: "skip the reachability and token checks before traffic"},
			&cli.StringFlag{Name: "metrics-addr", Usage: "serve Prometheus metrics on `HOST:PORT` (e.g. 127.0.0.1:9464) during the run"},
			quietFlag(),
		}, append(append(stateFlags(), verifyFlags()...), uiFlags()...)...),
		Action: runApply,
	}
}

func runApply(c *cli.Context) error {
	format, err := checkFormat(c, report.ReportFormats)
	if err != nil {
		return err
	}
	if err := checkStopFlags(c); err != nil {
		return err
	}
	ui, err := checkUIFlags(c)
	if err != nil {
		return err
	}
	verify, err := verifyOptions(c)
	if err != nil {
		return err
	}
	shard, err := shardOption(c)
	if err != nil {
		return err
	}
	intr := listenInterrupts(c.App.ErrWriter)
	defer intr.stop()
	opts := planOptions(c)
	resume, err := readResume(c)
	if err != nil {
		return err
	}
	if resume != nil && opts.Seed == nil {
		// The same seed gives the same visits: what the journal lacks is
		// exactly what the resumed run sends.
		seed := resume.Header.Seed
		opts.Seed = &seed
	}
	p, err := loadApplyPlan(c, opts)
	if intr.interrupted() {
		return exit(exitInterrupted, "%v", runner.ErrInterrupted)
	}
	if err != nil {
		return err
	}
	if c.IsSet("max-rps") {
		if r := c.Float64("max-rps"); !(r > 0) || math.IsInf(r, 0) {
			return exit(exitUsage, "--max-rps must be a number of visits per second above 0")
		}
		if p.Mode != "backfill" {
			return exit(exitUsage, "--max-rps is for backfill: realtime sends the planned rate (run.rate)")
		}
	}
	if resume != nil {
		if err := runner.CheckResume(resume.Header, p); err != nil {
			return exit(exitUsage, "--resume: %s: %v", c.String("resume"), err)
		}
	}
	if resume != nil {
		if err := runner.CheckResumeShard(resume.Header, shard); err != nil {
			return exit(exitUsage, "--resume: %s: %v", c.String("resume"), err)
		}
	}
	state, err := statePath(c)
	if err != nil {
		return err
	}
	if err := checkApplyOutputs(c, p, state); err != nil {
		return err
	}
	info := infoWriter(c)
	fmt.Fprintf(info, "journal: %s\n", state)
	var attach []func(runner.LiveSource)
	if addr := c.String("metrics-addr"); addr != "" {
		srv, err := runner.ServeLive(addr, nil)
		if err != nil {
			return exit(exitNoStart, "the run could not start: %v", err)
		}
		defer func() { _ = srv.Stop() }()
		fmt.Fprintf(info, "serving Prometheus metrics at %s\n", srv.URL())
		attach = append(attach, srv.Attach)
	}
	page, err := startLivePage(c, ui, p, intr)
	if err != nil {
		return err
	}
	if page != nil {
		defer func() { _ = page.Close() }()
		attach = append(attach, page.Attach)
	}
	prog := newProgress(c.App.ErrWriter)
	prog.quiet = c.Bool("quiet")
	rep, err := runner.Run(intr.ctx, p, runner.Options{
		RunID:         c.String("run-id"),
		Grace:         c.Duration("grace"),
		HardStop:      intr.hard,
		Logf:          prog.logf,
		Progress:      prog.update,
		NoPreflight:   c.Bool("no-preflight"),
		State:         state,
		Resume:        resume,
		ResendUnknown: c.Bool("resend-unknown"),
		MaxRPS:        c.Float64("max-rps"),
		Live:          liveHooks(attach),
		Verify:        verify,
		Shard:         shard,
		VerifySample:  sampleSize(c),
		OnPreflight:   func(rows []report.PreflightRow) { _ = report.WritePreflight(info, rows) },
	})
	prog.done()
	if page != nil {
		page.Finish(rep, err)
	}
	var stateErr *runner.StateError
	if errors.As(err, &stateErr) {
		return exit(exitUsage, "--state: %v (nothing was sent)", err)
	}
	if errors.Is(err, runner.ErrInterrupted) || (err != nil && intr.interrupted()) {
		return exit(exitInterrupted, "%v", runner.ErrInterrupted)
	}
	if err != nil {
		return exit(exitNoStart, "the run could not start: %v", err)
	}
	writeErr := writeApplyOutputs(c, rep)
	if err := report.ReportFormats.Write(c.App.Writer, format, rep); err != nil {
		return err
	}
	reportWriteError(c, writeErr)
	interrupted := intr.interrupted()
	if page != nil {
		lingerLivePage(c, page, intr) // a Ctrl-C that ends it leaves the run's exit code
	}
	if interrupted {
		// A signal after the run (while the report was written) still
		// says that the run was interrupted.
		return silentExit(exitInterrupted)
	}
	return silentExit(rep.Run.ExitCode)
}

// liveHooks hands the run's figures to every live server (metrics, page).
func liveHooks(attach []func(runner.LiveSource)) func(runner.LiveSource) {
	if len(attach) == 0 {
		return nil
	}
	return func(src runner.LiveSource) {
		for _, a := range attach {
			a(src)
		}
	}
}

// checkStopFlags refuses stop flags that would mean "forever" or nothing:
// --duration 0 (leave it out to keep run.duration) and a negative --grace
// or --max-visits. --grace 0 is valid: no grace period.
func checkStopFlags(c *cli.Context) error {
	if c.IsSet("duration") && c.Duration("duration") <= 0 {
		return exit(exitUsage, "--duration %s: a run needs a duration above 0 (leave --duration out to keep run.duration)", c.Duration("duration"))
	}
	if c.Duration("grace") < 0 {
		return exit(exitUsage, "--grace %s: the grace period cannot be negative (0 means none)", c.Duration("grace"))
	}
	if c.Int64("max-visits") < 0 {
		return exit(exitUsage, "--max-visits %d: cannot be negative", c.Int64("max-visits"))
	}
	return nil
}

func planOptions(c *cli.Context) runner.PlanOptions {
	var o runner.PlanOptions
	if c.IsSet("seed") {
		s := c.Uint64("seed")
		o.Seed = &s
	}
	o.Duration = c.Duration("duration")
	o.MaxVisits = c.Int64("max-visits")
	return o
}
