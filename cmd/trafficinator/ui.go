package main

import (
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner"
)

// defaultRunsDir is where ui keeps the reports of the runs it starts,
// inside DIR (hidden: validate DIR and ui skip it).
const defaultRunsDir = ".trafficinator/runs"

func uiCommand() *cli.Command {
	return &cli.Command{
		Name:      "ui",
		Usage:     "serve the control page of a scenario repository: validate, plan, test, start and stop runs, compare reports",
		ArgsUsage: "[DIR]",
		Description: "Lists the scenarios under DIR (default: the working directory) with their validate verdict, " +
			"shows a scenario's plan, tests its targets (the preflight alone, nothing is sent), starts one run at a time " +
			"(apply --ui, whose live page it shows under /live/), stops it as one Ctrl-C does, and lists the reports of " +
			"past runs with report diff between two of them (docs/ui.md). It never edits a file; secrets come from " +
			"the environment or --env-file and are never shown or asked for. Stops on SIGINT/SIGTERM, after stopping " +
			"the run in progress (its report is written). Exit codes: 0, or 2 for a usage error (DIR missing, an " +
			"address refused or in use, a non-loopback address without a token).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8090", Usage: "serve the page on `HOST:PORT` (port 0: any free port); a non-loopback host needs --ui-token"},
			&cli.StringFlag{Name: "runs", Usage: "write the reports of runs started here to `DIR`, and list past runs from it", DefaultText: "DIR/" + defaultRunsDir},
			envFileFlag(),
			&cli.StringFlag{Name: "ui-token", EnvVars: []string{runner.UITokenEnv}, Usage: "require `TOKEN` (open the page once with ?token=TOKEN); needed on a non-loopback address"},
		},
		Action: runUI,
	}
}

func runUI(c *cli.Context) error {
	if c.NArg() > 1 {
		return exit(exitUsage, "ui takes at most one DIR, got %d arguments", c.NArg())
	}
	dir := "."
	if c.NArg() == 1 {
		dir = c.Args().First()
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return exit(exitUsage, "%s is not a directory", dir)
	}
	runs := c.String("runs")
	if runs == "" {
		runs = filepath.Join(dir, defaultRunsDir)
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := runner.ServeControl(ctx, runner.ControlOptions{
		Dir: dir, Runs: runs, Addr: c.String("addr"), Token: c.String("ui-token"),
		EnvFiles: c.StringSlice("env-file"), Log: c.App.ErrWriter,
	})
	if err != nil {
		return exit(exitUsage, "ui: %v", err)
	}
	return nil
}
