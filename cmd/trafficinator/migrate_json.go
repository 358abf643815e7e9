package main

import (
	"encoding/json"
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"

	"github.com/trafficinator/trafficinator/scenario"
)

// migrateFormats are migrate's formats: the scenario as YAML (what -o
// writes), or one JSON document with the scenario and the diagnostics.
type migrateFormats struct{}

func (migrateFormats) Names() []string { return []string{"yaml", "json"} }

// migration is migrate --format json: stable field names, documented in
// docs/cli.md. Diagnostics are in it rather than on stderr.
type migration struct {
	Input string `json:"input"`
	// From is the detected input version (trafficinator/legacy-env, or an
	// older apiVersion); To is the version written.
	From string `json:"from"`
	To   string `json:"to"`
	// Out is the -o file, also written; "" for stdout only.
	Out string `json:"out,omitempty"`
	// Migrated is false when the input has errors (no scenario) or is
	// already To (the scenario is the input, unchanged).
	Migrated bool `json:"migrated"`
	// Scenario is the scenario as JSON values (null with errors); YAML is
	// its commented text, byte for byte what -o writes.
	Scenario    any                  `json:"scenario"`
	YAML        string               `json:"yaml,omitempty"`
	Diagnostics scenario.Diagnostics `json:"diagnostics"`
	Errors      int                  `json:"errors"`
	Warnings    int                  `json:"warnings"`
}

// writeMigrationJSON writes m to w, the scenario decoded from data (nil
// when there is none), and, with no errors and -o, data to out.
func writeMigrationJSON(w io.Writer, m migration, data []byte) error {
	if m.Diagnostics == nil {
		m.Diagnostics = scenario.Diagnostics{}
	}
	m.Errors = m.Diagnostics.Count(scenario.SeverityError)
	m.Warnings = m.Diagnostics.Count(scenario.SeverityWarning)
	if data != nil {
		// yaml.v3 keeps timestamps as strings in an any: dates stay
		// "2026-10-01" as the scenario wrote them.
		if err := yaml.Unmarshal(data, &m.Scenario); err != nil {
			return exit(exitInvalid, "%s: the migrated scenario does not parse: %v", m.Input, err)
		}
		m.YAML = string(data)
	}
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return exit(exitInvalid, "%s: %v", m.Input, err)
	}
	if m.Out != "" && data != nil && m.Errors == 0 {
		if err := writeOutput(nil, m.Out, data); err != nil {
			return err
		}
	}
	if _, err := fmt.Fprintf(w, "%s\n", out); err != nil {
		return err
	}
	if m.Errors > 0 {
		return silentExit(exitInvalid)
	}
	return nil
}
