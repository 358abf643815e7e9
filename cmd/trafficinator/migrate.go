package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/schema"
)

func migrateCommand() *cli.Command {
	return &cli.Command{
		Name:      "migrate",
		Usage:     "convert a legacy .env file (or an older scenario) into a v1 scenario",
		ArgsUsage: "FILE",
		Description: "Reads a legacy Trafficinator .env file, with the funnels.json and URL list it names, and writes " +
			"an equivalent commented v1 scenario; a scenario of an older apiVersion is upgraded the same way. " +
			"Diagnostics go to stderr. Exit codes: 0 converted (warnings allowed), 1 the input has errors, 2 usage error.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write the scenario to `FILE` instead of stdout"},
			&cli.StringFlag{Name: "funnels", Usage: "read funnels from this legacy funnels.json `FILE` (replaces FUNNEL_CONFIG_PATH)"},
			&cli.StringFlag{Name: "urls", Usage: "use this URL list `FILE` (replaces URLS_FILE)"},
			&cli.StringFlag{Name: "schema-url", Usage: "point the schema modeline at `URL` (default: the relative path to the nearest schema/ folder)"},
			envFileFlag(),
			formatFlag("output", migrateFormats{}),
		},
		Action: runMigrate,
	}
}

func runMigrate(c *cli.Context) error {
	if c.NArg() != 1 {
		return exit(exitUsage, "migrate needs exactly one FILE")
	}
	format, err := checkFormat(c, migrateFormats{})
	if err != nil {
		return err
	}
	in, out := c.Args().First(), c.String("out")
	if out != "" && samePath(in, out) {
		return exit(exitUsage, "-o %s would overwrite the input; write the scenario to another file", out)
	}
	data, err := readInput(in)
	if err != nil {
		return exit(exitUsage, "%s: %v", in, err)
	}
	lookup, envDiags := scenario.EnvLookup(c.StringSlice("env-file"))
	if envDiags.HasErrors() {
		_ = scenario.WriteDiagnostics(c.App.ErrWriter, "text", envDiags, nil)
		return silentExit(exitUsage)
	}
	version := scenario.Converters().Detect(in, data)
	if version == "" {
		return exit(exitInvalid, "%s is neither a legacy .env file nor a scenario with an apiVersion", in)
	}
	if version == scenario.APIVersion && format == "json" {
		return writeMigrationJSON(c.App.Writer, migration{Input: in, From: version, To: version, Out: out}, data)
	}
	if version == scenario.APIVersion {
		fmt.Fprintf(c.App.ErrWriter, "note: %s is already %s; nothing to migrate\n", in, version)
		return writeOutput(c.App.Writer, out, data)
	}
	outDir := "."
	if out != "" {
		outDir = filepath.Dir(out)
	}
	res, err := scenario.Converters().Upgrade(scenario.Document{APIVersion: version, File: in, Data: data}, scenario.APIVersion, scenario.ConvertOptions{
		Lookup: lookup, OutDir: outDir,
		Inputs: map[string]string{scenario.LegacyInputFunnels: c.String("funnels"), scenario.LegacyInputURLs: c.String("urls")},
	})
	if err != nil {
		return exit(exitInvalid, "%s: %v", in, err)
	}
	if format == "json" {
		m := migration{Input: in, From: version, To: scenario.APIVersion, Out: out, Diagnostics: res.Diags}
		if res.Diags.HasErrors() {
			return writeMigrationJSON(c.App.Writer, m, nil)
		}
		m.Migrated = true
		return writeMigrationJSON(c.App.Writer, m, res.Doc.Data)
	}
	src := func(f string) ([]byte, bool) { b, ok := res.Sources[f]; return b, ok }
	_ = scenario.WriteDiagnosticsText(c.App.ErrWriter, res.Diags, src)
	if res.Diags.HasErrors() {
		fmt.Fprintf(c.App.ErrWriter, "%s: %d error(s), %d warning(s); no scenario written\n",
			in, res.Diags.Count(scenario.SeverityError), res.Diags.Count(scenario.SeverityWarning))
		return silentExit(exitInvalid)
	}
	ref, ok := schemaRef(c.String("schema-url"), outDir)
	if !ok {
		fmt.Fprintf(c.App.ErrWriter, "note: no schema/%s in %s or above it: the scenario has no schema modeline (give --schema-url URL)\n",
			schema.ScenarioV1Draft7File, outDir)
	}
	if err := writeOutput(c.App.Writer, out, withModeline(res.Doc.Data, ref)); err != nil {
		return err
	}
	dest := "stdout"
	if out != "" {
		dest = out
	}
	fmt.Fprintf(c.App.ErrWriter, "migrated %s (%s) to %s: %d warning(s)\n", in, version, dest, res.Diags.Count(scenario.SeverityWarning))
	return nil
}

// readInput reads the file to migrate, bounded like a scenario file.
func readInput(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read it: %w", unwrapPath(err))
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && !info.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, scenario.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read it: %w", unwrapPath(err))
	}
	if len(data) > scenario.MaxFileSize {
		return nil, fmt.Errorf("file is larger than %d MiB", scenario.MaxFileSize>>20)
	}
	return data, nil
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// samePath reports whether two paths name the same file.
func samePath(a, b string) bool {
	if ia, err := os.Stat(a); err == nil {
		if ib, err := os.Stat(b); err == nil {
			return os.SameFile(ia, ib)
		}
	}
	aa, err1 := filepath.Abs(a)
	ab, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == ab
}

// writeOutput writes the scenario to path, or to stdout when path is "".
func writeOutput(stdout io.Writer, path string, data []byte) error {
	if path == "" {
		_, err := stdout.Write(data)
		return err
	}
	// Atomically, as reports are: a failed write keeps the previous file.
	if err := report.WriteFile(path, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return exit(exitUsage, "%v", err)
	}
	return nil
}
