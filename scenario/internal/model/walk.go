package model

import (
	"regexp"
	"strings"

	"github.com/trafficinator/trafficinator/scenario/internal/convert"
)

// A repository of scenarios holds other YAML too: docker compose files, CI
// workflows, Kubernetes manifests. A directory walk checks only the files
// that say they are Trafficinator's.

// ownFile reports whether a file found by walking a directory is a
// Trafficinator file: its apiVersion is trafficinator/…, or it has no
// apiVersion but says kind: Scenario (a scenario that lost its apiVersion
// is reported, not skipped). A file that is not valid YAML is judged by
// its lines, so that a scenario with a syntax error is still reported.
func ownFile(data []byte) bool {
	if v, ok := convert.YAMLVersion(data); ok {
		return strings.HasPrefix(v, "trafficinator/")
	}
	if convert.IsYAMLMapping(data) {
		return kindScenarioLine.Match(data)
	}
	return apiVersionLine.Match(data) || kindScenarioLine.Match(data)
}

// apiVersionLine and kindScenarioLine find the top-level lines that make
// a file Trafficinator's; "scenario" in any case, since a wrong case is a
// typo to report, not a reason to skip the file.
var (
	apiVersionLine   = regexp.MustCompile(`(?m)^apiVersion:[ \t]*["']?trafficinator/`)
	kindScenarioLine = regexp.MustCompile(`(?mi)^kind:[ \t]*["']?scenario["']?[ \t]*(#.*)?\r?$`)
)
