package main

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

// validate --format sarif writes the run's diagnostics as one SARIF log
// on stdout, nothing on stderr, and keeps validate's exit code.
func TestValidateSARIF(t *testing.T) {
	dir := tree(t, map[string]string{"bad.yaml": invalidScenario, "good.yaml": validScenario})
	code, stdout, stderr := runCLI(t, "validate", "--format", "sarif", dir)
	if code != exitInvalid || stderr != "" {
		t.Fatalf("exit %d stderr %q, want 1 and nothing", code, stderr)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct{ StartLine, StartColumn int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(stdout), &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) != 1 {
		t.Fatalf("not one result: %v\n%s", err, stdout)
	}
	r := log.Runs[0].Results[0]
	loc := r.Locations[0].PhysicalLocation
	if r.RuleID != "/targets/*/site_id" || r.Level != "error" || loc.ArtifactLocation.URI != "file://"+filepath.ToSlash(filepath.Join(dir, "bad.yaml")) ||
		loc.Region.StartLine != 11 || loc.Region.StartColumn != 14 {
		t.Errorf("result %+v", r)
	}
}
