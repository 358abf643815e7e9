package main

import (
	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/schema"
)

func schemaCommand() *cli.Command {
	return &cli.Command{
		Name:      "schema",
		Usage:     "print the JSON Schema of scenario files (for editors and CI)",
		ArgsUsage: " ",
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return exit(exitUsage, "schema takes no arguments")
			}
			_, err := c.App.Writer.Write(schema.ScenarioV1())
			return err
		},
	}
}
