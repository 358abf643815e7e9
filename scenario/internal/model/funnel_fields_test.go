package model

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// A funnel step without a field its type needs is an error at the step,
// found by validate rather than by a visit that dies half-way (legacy B14).
func TestFunnelStepMissingFields(t *testing.T) {
	src := `apiVersion: trafficinator/v1
kind: Scenario
metadata: { name: f }
targets:
  - { name: a, kind: sink, site_id: 1 }
traffic:
  funnels:
    - name: f
      probability: 0.5
      steps:
        - { type: pageview, url: /a }
        - { type: event, action: Add }
        - { type: site_search }
        - { type: outlink }
        - { type: download }
`
	res := Load("f.yaml", []byte(src), Options{Now: func() time.Time { return time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC) }})
	want := []string{
		`f.yaml:12:11: missing required field "category"`,
		`f.yaml:13:11: missing required field "keyword"`,
		`f.yaml:14:11: missing required field "target"`,
		`f.yaml:15:11: missing required field "target"`,
	}
	var got []string
	for _, d := range res.Diags {
		got = append(got, fmt.Sprintf("%s:%d:%d: %s", d.File, d.Line, d.Column, d.Message))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
