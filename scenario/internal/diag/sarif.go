package diag

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// SARIF 2.1.0 (OASIS), the format code-scanning services read
// (GitHub's upload-sarif, GitLab's and Azure's viewers). Only what a
// diagnostic carries is written: a rule, a level, a message and a place.

const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	toolName     = "trafficinator"
	toolURI      = "https://github.com/trafficinator/trafficinator"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	ShortDescription sarifMessage `json:"shortDescription"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
}

// WriteSARIF renders the list as one SARIF 2.1.0 run of the trafficinator
// tool, one result per diagnostic in the list's order.
//
// Diagnostics have no rule codes, so the rule of a diagnostic is the
// field it is about, with array indices as "*" ("/targets/*/site_id"):
// code scanning groups alerts by rule, and "every error about a target's
// site_id" is the grouping a reader wants. A diagnostic about a whole
// file (YAML syntax, an unreadable file) has the rule "file".
func WriteSARIF(w io.Writer, l List) error {
	run := sarifRun{
		Tool:    sarifTool{Driver: sarifDriver{Name: toolName, InformationURI: toolURI, Rules: []sarifRule{}}},
		Results: make([]sarifResult, 0, len(l)),
	}
	var rules []string
	for _, d := range l {
		rule := RuleID(d)
		if !slices.Contains(rules, rule) {
			rules = append(rules, rule)
		}
		msg := d.Message
		if d.Hint != "" {
			msg += "\nhint: " + d.Hint
		}
		loc := sarifPhysical{ArtifactLocation: sarifArtifact{URI: sarifURI(d.File)}}
		if d.Line > 0 {
			loc.Region = &sarifRegion{StartLine: d.Line, StartColumn: max(d.Column, 1)}
		}
		run.Results = append(run.Results, sarifResult{RuleID: rule, Level: sarifLevel(d.Severity),
			Message: sarifMessage{Text: msg}, Locations: []sarifLocation{{PhysicalLocation: loc}}})
	}
	slices.Sort(rules)
	for _, id := range rules {
		desc := "Checks of the scenario field " + id
		if id == "file" {
			desc = "Checks of a whole file: reading it, its YAML syntax"
		}
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: id, ShortDescription: sarifMessage{Text: desc}})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

var arrayIndex = regexp.MustCompile(`/[0-9]+(/|$)`)

// RuleID is the SARIF rule of d: its field path with array indices as
// "*", or "file" for a diagnostic about the whole file.
func RuleID(d Diagnostic) string {
	if d.Path == "" || d.Path == "/" {
		return "file"
	}
	p := d.Path
	for arrayIndex.MatchString(p) { // twice for adjacent indices: /a/0/1
		p = arrayIndex.ReplaceAllString(p, "/*$1")
	}
	return p
}

// sarifLevel maps a severity to SARIF's levels: info is a note.
func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "note"
}

// sarifURI is a file's path as a URI reference: relative paths with
// forward slashes (code scanning resolves them against the repository),
// absolute ones as file:// URIs.
func sarifURI(file string) string {
	u := url.URL{Path: filepath.ToSlash(file)}
	if filepath.IsAbs(file) {
		u.Scheme = "file"
		if !strings.HasPrefix(u.Path, "/") {
			u.Path = "/" + u.Path // C:/x on Windows
		}
	}
	return u.String()
}
