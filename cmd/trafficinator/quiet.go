package main

import (
	"io"

	"github.com/urfave/cli/v2"
)

// quietFlag is apply's --quiet: stderr keeps what went wrong (warnings,
// errors, events of the run such as a grace period ending) and loses what
// only says that things go as planned.
func quietFlag() cli.Flag {
	return &cli.BoolFlag{Name: "quiet", Aliases: []string{"q"},
		Usage: "no progress on stderr (progress line, journal path, preflight table, metrics address); warnings, errors and the report still show"}
}

// infoWriter is where a command writes what --quiet leaves out.
func infoWriter(c *cli.Context) io.Writer {
	if c.Bool("quiet") {
		return io.Discard
	}
	return c.App.ErrWriter
}
