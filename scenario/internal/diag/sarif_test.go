package diag

import (
	"bytes"
	"encoding/json"
	"testing"
)

// The SARIF of a list, byte for byte: a field's rule with its indices as
// "*", the hint in the message, no region for a diagnostic without a
// line, column 1 for a line without a column, info as a note.
func TestWriteSARIF(t *testing.T) {
	l := List{
		{File: "s.yaml", Line: 2, Column: 11, Severity: Error, Path: "/targets/0/site_id", Message: "expected integer, got string", Hint: "write a number"},
		{File: "dir/b c.yaml", Line: 3, Column: 0, Severity: Warning, Path: "/stages/1/2/rate", Message: "w"},
		{File: "/abs/gone.yaml", Severity: Info, Message: "n"},
		{File: "s.yaml", Line: 4, Column: 5, Severity: Error, Path: "/targets/3/site_id", Message: "again"},
	}
	var b bytes.Buffer
	if err := WriteSARIF(&b, l); err != nil {
		t.Fatal(err)
	}
	want := `{
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "version": "2.1.0",
  "runs": [
    {
      "tool": {
        "driver": {
          "name": "trafficinator",
          "informationUri": "https://github.com/trafficinator/trafficinator",
          "rules": [
            {
              "id": "/stages/*/*/rate",
              "shortDescription": {
                "text": "Checks of the scenario field /stages/*/*/rate"
              }
            },
            {
              "id": "/targets/*/site_id",
              "shortDescription": {
                "text": "Checks of the scenario field /targets/*/site_id"
              }
            },
            {
              "id": "file",
              "shortDescription": {
                "text": "Checks of a whole file: reading it, its YAML syntax"
              }
            }
          ]
        }
      },
      "results": [
        {
          "ruleId": "/targets/*/site_id",
          "level": "error",
          "message": {
            "text": "expected integer, got string\nhint: write a number"
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "s.yaml"
                },
                "region": {
                  "startLine": 2,
                  "startColumn": 11
                }
              }
            }
          ]
        },
        {
          "ruleId": "/stages/*/*/rate",
          "level": "warning",
          "message": {
            "text": "w"
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "dir/b%20c.yaml"
                },
                "region": {
                  "startLine": 3,
                  "startColumn": 1
                }
              }
            }
          ]
        },
        {
          "ruleId": "file",
          "level": "note",
          "message": {
            "text": "n"
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "file:///abs/gone.yaml"
                }
              }
            }
          ]
        },
        {
          "ruleId": "/targets/*/site_id",
          "level": "error",
          "message": {
            "text": "again"
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "s.yaml"
                },
                "region": {
                  "startLine": 4,
                  "startColumn": 5
                }
              }
            }
          ]
        }
      ]
    }
  ]
}
`
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	checkSARIFRequired(t, b.Bytes(), len(l))
}

// No diagnostics is a run with no results (not null): code scanning then
// closes the alerts of an earlier upload.
func TestWriteSARIFEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "sarif", nil, nil); err != nil {
		t.Fatal(err)
	}
	checkSARIFRequired(t, b.Bytes(), 0)
}

// checkSARIFRequired checks data against what SARIF 2.1.0's schema
// requires of a log, a run, a tool, a result and a physical location
// (sarif-schema-2.1.0.json, the "required" lists and the level enum), and
// what GitHub's code scanning needs besides: a ruleId declared among the
// driver's rules, and a region's startLine of at least 1.
func checkSARIFRequired(t *testing.T, data []byte, results int) {
	t.Helper()
	var log struct {
		Version *string `json:"version"`
		Runs    []struct {
			Tool *struct {
				Driver *struct {
					Name  *string `json:"name"`
					Rules []struct {
						ID *string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID  string `json:"ruleId"`
				Level   string `json:"level"`
				Message *struct {
					Text *string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation *struct {
						ArtifactLocation *struct {
							URI *string `json:"uri"`
						} `json:"artifactLocation"`
						Region *struct {
							StartLine   int `json:"startLine"`
							StartColumn int `json:"startColumn"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if log.Version == nil || *log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %v, %d runs", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool == nil || run.Tool.Driver == nil || run.Tool.Driver.Name == nil || *run.Tool.Driver.Name == "" {
		t.Fatal("runs[0].tool.driver.name is required")
	}
	rules := map[string]bool{}
	for _, r := range run.Tool.Driver.Rules {
		if r.ID == nil || *r.ID == "" {
			t.Error("a rule without an id")
			continue
		}
		rules[*r.ID] = true
	}
	if run.Results == nil || len(run.Results) != results {
		t.Fatalf("%d results (nil: %v), want %d", len(run.Results), run.Results == nil, results)
	}
	for i, r := range run.Results {
		if r.Message == nil || r.Message.Text == nil || *r.Message.Text == "" {
			t.Errorf("result %d: message.text is required", i)
		}
		if r.Level != "error" && r.Level != "warning" && r.Level != "note" && r.Level != "none" {
			t.Errorf("result %d: level %q", i, r.Level)
		}
		if !rules[r.RuleID] {
			t.Errorf("result %d: ruleId %q is not among the driver's rules", i, r.RuleID)
		}
		if len(r.Locations) != 1 || r.Locations[0].PhysicalLocation == nil || r.Locations[0].PhysicalLocation.ArtifactLocation == nil ||
			r.Locations[0].PhysicalLocation.ArtifactLocation.URI == nil {
			t.Errorf("result %d: no physicalLocation.artifactLocation.uri", i)
			continue
		}
		if reg := r.Locations[0].PhysicalLocation.Region; reg != nil && (reg.StartLine < 1 || reg.StartColumn < 1) {
			t.Errorf("result %d: region %+v", i, *reg)
		}
	}
}

// Whatever a diagnostic holds, the SARIF is JSON with every required
// field, and its rule has no array index left.
func FuzzWriteSARIF(f *testing.F) {
	f.Add("s.yaml", 2, 11, "/targets/0/site_id", "expected integer", "hint")
	f.Add("dir/a b%.yaml", 0, 0, "", "\x00\n\"", "")
	f.Add("/abs/x.yaml", -1, -5, "/a/0/1/b/22", "m", "")
	f.Fuzz(func(t *testing.T, file string, line, col int, path, msg, hint string) {
		if msg == "" {
			msg = "m" // checks never report an empty message
		}
		var b bytes.Buffer
		d := Diagnostic{File: file, Line: line, Column: col, Severity: Error, Path: path, Message: msg, Hint: hint}
		if err := WriteSARIF(&b, List{d}); err != nil {
			t.Fatal(err)
		}
		checkSARIFRequired(t, b.Bytes(), 1)
		if rule := RuleID(d); arrayIndex.MatchString(rule) {
			t.Fatalf("rule %q of path %q keeps an index", rule, path)
		}
	})
}
