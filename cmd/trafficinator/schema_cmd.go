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
		Description: "Prints the scenario schema, JSON Schema draft 2020-12, which validate uses. --draft 7 prints " +
			"the same schema rewritten for draft-07, which editors' YAML language servers fully support " +
			"(docs/editors.md); both reach the same verdict on every scenario.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "draft", Value: "2020-12", Usage: "JSON Schema `DRAFT` to print: 2020-12 or 7 (editors)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return exit(exitUsage, "schema takes no arguments")
			}
			var doc []byte
			switch d := c.String("draft"); d {
			case "2020-12", "2020":
				doc = schema.ScenarioV1()
			case "7", "07", "draft-07":
				doc = schema.ScenarioV1Draft7()
			default:
				return exit(exitUsage, "--draft %q: want 2020-12 or 7", d)
			}
			_, err := c.App.Writer.Write(doc)
			return err
		},
	}
}
