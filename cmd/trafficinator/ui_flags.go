package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner"
)

// uiFlags are apply's live page (docs/ui.md).
func uiFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "ui", Usage: "serve the live page of the run on `HOST:PORT` (e.g. 127.0.0.1:8090; any other than loopback needs --ui-token)"},
		&cli.DurationFlag{Name: "ui-linger", Usage: "with --ui: keep the page up with the final report for `DURATION` after the run (Ctrl-C ends it)"},
		&cli.StringFlag{Name: "ui-token", Usage: "with --ui: the `TOKEN` the page asks for (default: $" + runner.UITokenEnv + "); required off loopback"},
	}
}

// uiSettings are apply's --ui flags, checked before anything else
// happens: a page that cannot be served safely stops apply before the
// scenario is even run.
type uiSettings struct {
	addr, token string
}

func checkUIFlags(c *cli.Context) (*uiSettings, error) {
	addr := c.String("ui")
	if addr == "" {
		for _, f := range []string{"ui-linger", "ui-token"} {
			if c.IsSet(f) {
				return nil, exit(exitUsage, "--%s is for the live page: add --ui HOST:PORT", f)
			}
		}
		return nil, nil
	}
	if c.Duration("ui-linger") < 0 {
		return nil, exit(exitUsage, "--ui-linger %s: cannot be negative (0: the page closes with the run)", c.Duration("ui-linger"))
	}
	token := c.String("ui-token")
	if token == "" {
		token = os.Getenv(runner.UITokenEnv)
	}
	if err := runner.CheckUIBind(addr, token); err != nil {
		return nil, exit(exitUsage, "--ui: %v; nothing was sent", err)
	}
	return &uiSettings{addr: addr, token: token}, nil
}

// startLivePage serves the live page when --ui asks for it, and prints its
// address (never the token) on stderr, even with --quiet: it is how one
// finds the page. nil without --ui.
func startLivePage(c *cli.Context, ui *uiSettings, p *runner.Plan, intr *interrupts) (*runner.LivePage, error) {
	if ui == nil {
		return nil, nil
	}
	page, err := runner.ServeLivePage(runner.LivePageOptions{Addr: ui.addr, Token: ui.token, Scenario: p.Name, Stop: intr.pageStop, Secrets: p.Secrets()})
	if err != nil {
		return nil, exit(exitNoStart, "the run could not start: --ui: %v", err)
	}
	fmt.Fprintf(c.App.ErrWriter, "live page at %s\n", page.URL())
	return page, nil
}

// lingerLivePage keeps the page up with the final report for --ui-linger,
// or until a Ctrl-C.
func lingerLivePage(c *cli.Context, page *runner.LivePage, intr *interrupts) {
	d := c.Duration("ui-linger")
	if d <= 0 {
		return
	}
	fmt.Fprintf(infoWriter(c), "live page: the report stays at %s for %s (Ctrl-C ends it)\n", page.URL(), d)
	ctx, cancel := intr.afterNext()
	defer cancel()
	page.Linger(ctx, d)
}
