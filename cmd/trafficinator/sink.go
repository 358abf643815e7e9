package main

import (
	"errors"
	"os"
	"os/signal"
	"syscall"
	"time"

	// Site timezones must resolve on hosts and images without a zoneinfo
	// database (scratch and distroless containers).
	_ "time/tzdata"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/targets"
)

// exitSinkFailed: the sink could not run (address in use, log file).
const exitSinkFailed = 1

func sinkCommand() *cli.Command {
	var sites targets.SinkSiteFlags
	return &cli.Command{
		Name:      "sink",
		Usage:     "run the built-in Matomo-conformant tracking endpoint (docs/sink.md)",
		ArgsUsage: " ",
		Description: "Answers /matomo.php and /piwik.php as Matomo does, checks every hit strictly and\n" +
			"counts what Matomo would record; GET /stats shows it as JSON, GET /healthz answers ok.\n" +
			"Each --token and --timezone applies to the --site before it; a --timezone before any\n" +
			"--site is the default of all sites. Without --site, site 1 exists. Stops on SIGINT/SIGTERM.\n" +
			"--fault makes it misbehave on tracking requests carrying hits, to test a client's retries\n" +
			"and timeouts: slow-answer and reset-after-read record the hits, throttle (429) and\n" +
			"unavailable (503) do not. GET/POST /index.php answers Matomo's Reporting API from what it\n" +
			"recorded; --drop-visits and --merge-visits make it lose or merge visits on purpose.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "listen", Value: "127.0.0.1:8089", Usage: "`HOST:PORT` to listen on, and nothing else"},
			&cli.GenericFlag{Name: "site", Value: sites.Site(), Usage: "a site `ID` that exists (repeatable)"},
			&cli.GenericFlag{Name: "token", Value: sites.Token(), Usage: "a token_auth `TOKEN` valid for the --site before it (repeatable)"},
			&cli.GenericFlag{Name: "timezone", Value: sites.Timezone(), Usage: "IANA `ZONE` for per-day counts and midnight (default UTC)"},
			&cli.StringFlag{Name: "log", Usage: "write one JSON line per hit to `FILE` (token_auth redacted)"},
			&cli.BoolFlag{Name: "strict", Usage: "answer 400 to any hit that breaks a rule, not only where Matomo would"},
			&cli.StringFlag{Name: "max-body", Value: "32MiB", Usage: "largest request `SIZE`; larger bodies get 413"},
			&cli.StringFlag{Name: "max-body-memory", Value: "256MiB", Usage: "memory `SIZE` of all bodies in flight (at least twice --max-body); beyond it, 503 with Retry-After"},
			&cli.DurationFlag{Name: "body-timeout", Value: 60 * time.Second, Usage: "a body not received within this `DURATION` gets 408"},
			&cli.StringFlag{Name: "fault", Usage: "inject `FAULT`: slow-answer, reset-after-read, throttle (429) or unavailable (503)"},
			&cli.IntFlag{Name: "fault-first", Usage: "fault only the first `N` tracking requests carrying hits", DefaultText: "every one"},
			&cli.DurationFlag{Name: "fault-delay", Value: targets.DefaultFaultDelay, Usage: "slow-answer answers after this `DURATION`"},
			&cli.StringFlag{Name: "retry-after", Usage: "Retry-After `SECONDS` of throttle and unavailable answers (default: none)"},
			&cli.Float64Flag{Name: "drop-visits", Usage: "silently drop this `SHARE` (0 to 1) of visits, every hit of them, while answering success"},
			&cli.Float64Flag{Name: "merge-visits", Usage: "record this `SHARE` (0 to 1) of new visits into the site's most recent open visit of another visitor"},
			&cli.Uint64Flag{Name: "misbehave-seed", Usage: "seed `N` of the hash that picks the dropped and merged visits"},
			&cli.Float64Flag{Name: "max-rate", Usage: "capacity: take at most `N` tracking requests a second; above, 503 with Retry-After: 1 and nothing recorded", DefaultText: "no limit"},
			&cli.DurationFlag{Name: "latency", Usage: "answer delay `DURATION` of an idle sink, growing as the rate nears --max-rate: base/(1-load), at most 20x"},
			&cli.IntFlag{Name: "max-live-visits", Usage: "visits kept for the reporting API's Live methods (`N`; negative: no action lists)", DefaultText: "100000"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return exit(exitUsage, "sink takes no arguments, got %q", c.Args().First())
			}
			maxBody, err := targets.ParseSize(c.String("max-body"))
			if err != nil {
				return exit(exitUsage, "--max-body: %v", err)
			}
			bodyMemory, err := targets.ParseSize(c.String("max-body-memory"))
			if err != nil {
				return exit(exitUsage, "--max-body-memory: %v", err)
			}
			if !c.IsSet("max-body-memory") {
				bodyMemory = 0 // the default: 256 MiB, or more for a larger --max-body
			}
			if c.Duration("body-timeout") <= 0 {
				return exit(exitUsage, "--body-timeout must be greater than 0")
			}
			var faultDelay time.Duration // 0: the default, for slow-answer only
			if c.IsSet("fault-delay") {
				if faultDelay = c.Duration("fault-delay"); faultDelay <= 0 {
					return exit(exitUsage, "--fault-delay must be greater than 0")
				}
			}
			siteList, err := sites.Sites()
			if err != nil {
				return exit(exitUsage, "%v", err)
			}
			ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
			defer stop()
			err = targets.RunSink(ctx, targets.SinkRunOptions{
				Listen:  c.String("listen"),
				Sites:   siteList,
				Strict:  c.Bool("strict"),
				MaxBody: maxBody,
				LogPath: c.String("log"),

				MaxBodyMemory: bodyMemory,
				BodyTimeout:   c.Duration("body-timeout"),
				Faults: targets.SinkFaultFlags{
					Fault:      c.String("fault"),
					First:      c.Int("fault-first"),
					Delay:      faultDelay,
					RetryAfter: c.String("retry-after"),
				},
				DropVisits:    c.Float64("drop-visits"),
				MergeVisits:   c.Float64("merge-visits"),
				MisbehaveSeed: c.Uint64("misbehave-seed"),
				MaxLiveVisits: c.Int("max-live-visits"),
				MaxRate:       c.Float64("max-rate"),
				Latency:       c.Duration("latency"),
			}, c.App.Writer)
			var usage *targets.SinkUsageError
			switch {
			case errors.As(err, &usage):
				return exit(exitUsage, "%v", err)
			case err != nil:
				return exit(exitSinkFailed, "sink: %v", err)
			}
			return nil
		},
	}
}
