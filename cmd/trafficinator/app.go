package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/urfave/cli/v2"
)

// Exit codes shared by every command; docs/cli.md is the stable table.
const (
	exitOK          = 0
	exitInvalid     = 1 // validate: a file is invalid
	exitUsage       = 2 // usage error, missing path, invalid scenario for plan/apply
	exitNoStart     = 3 // apply: the run could not start
	exitInterrupted = 130
)

// newApp builds the command tree. Commands are added by the files that own
// them (validate.go, schema.go, sink.go, ...).
func newApp(stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:                 "trafficinator",
		Usage:                "declarative Matomo traffic scenarios: validate, plan, apply",
		Version:              currentVersion().Version,
		Writer:               stdout,
		ErrWriter:            stderr,
		EnableBashCompletion: false,
		HideHelpCommand:      true,
		Commands:             commands(),
		// Errors are turned into exit codes by run, never by os.Exit here.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError:   usageError,
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				typed := c.Args().First()
				return exit(exitUsage, "unknown command %q%s (see 'trafficinator --help')", typed, didYouMean(commandNames(c.App.Commands), typed))
			}
			return cli.ShowAppHelp(c)
		},
	}
	for _, cmd := range app.Commands {
		cmd.OnUsageError = usageError
	}
	// urfave/cli adds --help only when there is no "help" command, and
	// help.go defines one.
	app.Flags = append(app.Flags, cli.HelpFlag)
	return app
}

// usageError reports a bad flag without printing the whole help text, so
// that --format json output stays parseable; run maps it to exit code 2.
func usageError(c *cli.Context, err error, _ bool) error {
	args, _ := c.App.Metadata["args"].([]string)
	return exit(exitUsage, "%s (see '%s --help')", flagUsageError(err, c.Command, args), c.Command.HelpName)
}

// commands lists every subcommand; each is defined in its own file.
func commands() []*cli.Command {
	return []*cli.Command{
		validateCommand(),
		planCommand(),
		applyCommand(),
		verifyCommand(),
		migrateCommand(),
		reportCommand(),
		sinkCommand(),
		uiCommand(),
		schemaCommand(),
		versionCommand(),
		helpCommand(),
		completionCommand(),
	}
}

// run executes the CLI and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	app := newApp(stdout, stderr)
	// As typed, for messages that echo a flag (usageError).
	app.Metadata = map[string]any{"args": args}
	err := app.Run(reorderArgs(app, args))
	if err == nil {
		return exitOK
	}
	var ec cli.ExitCoder
	if errors.As(err, &ec) {
		if msg := err.Error(); msg != "" {
			fmt.Fprintln(stderr, "trafficinator:", msg)
		}
		return ec.ExitCode()
	}
	// Anything else from urfave/cli is a usage problem (unknown flag, ...).
	fmt.Fprintln(stderr, "trafficinator:", err)
	return exitUsage
}

// exit wraps a message and a code as an error that run understands.
func exit(code int, format string, a ...any) error {
	return cli.Exit(fmt.Sprintf(format, a...), code)
}

// silentExit returns a code without printing anything more.
func silentExit(code int) error { return cli.Exit("", code) }
