package main

import (
	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner"
)

// verifyFlags are apply's flags of delivery verification (docs/verify.md).
func verifyFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "verify", Usage: "after the traffic, ask each target's Reporting API what it recorded and compare (a baseline is read before the traffic)"},
		&cli.DurationFlag{Name: "verify-wait", Usage: "with --verify: read a day that is not archived again for at most `DURATION`"},
		&cli.IntFlag{Name: "verify-sample", Value: 50, Usage: "with --verify: compare `N` sampled visits one by one"},
	}
}

// verifyOptions reads apply's verification flags; nil without --verify.
func verifyOptions(c *cli.Context) (*runner.VerifyOptions, error) {
	if !c.Bool("verify") {
		for _, name := range []string{"verify-wait", "verify-sample"} {
			if c.IsSet(name) {
				return nil, exit(exitUsage, "--%s needs --verify", name)
			}
		}
		return nil, nil
	}
	if c.Duration("verify-wait") < 0 || c.Int("verify-sample") < 0 {
		return nil, exit(exitUsage, "--verify-wait and --verify-sample cannot be negative")
	}
	return &runner.VerifyOptions{Wait: c.Duration("verify-wait"), Sample: c.Int("verify-sample"), Settle: runner.DefaultSettle}, nil
}

// sampleSize is how many visits per target the run samples for
// verification (runner.Options.VerifySample): --verify-sample when given
// (0: none), else the default.
func sampleSize(c *cli.Context) int {
	if !c.IsSet("verify-sample") {
		return 0 // the default, 50
	}
	if n := c.Int("verify-sample"); n > 0 {
		return n
	}
	return -1
}
