package schema_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/trafficinator/trafficinator/schema"
)

// reportDoc decodes testdata/report.v3.json, the report of a real run
// (runner/report's test scenario: two sinks, four policies, three fired),
// into a fresh document.
func reportDoc(t testing.TB) map[string]any {
	t.Helper()
	data, err := os.ReadFile("testdata/report.v3.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, ok := jsonDoc(data)
	if !ok {
		t.Fatal("testdata/report.v3.json is not JSON")
	}
	return doc.(map[string]any)
}

func TestReportSchemaIsDraft2020WithID(t *testing.T) {
	var m map[string]any
	if err := json.Unmarshal(schema.ReportV3(), &m); err != nil {
		t.Fatal(err)
	}
	if m["$schema"] != "https://json-schema.org/draft/2020-12/schema" || m["$id"] != schema.ReportV3ID {
		t.Fatalf("$schema %v $id %v", m["$schema"], m["$id"])
	}
}

func TestRealReportIsValid(t *testing.T) {
	if v := schema.ValidateReport(reportDoc(t)); v != nil {
		t.Fatalf("violations:\n%s", dump(v))
	}
	// As jsonschema.UnmarshalJSON decodes it (json.Number) too.
	data, _ := os.ReadFile("testdata/report.v3.json")
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if v := schema.ValidateReport(doc); v != nil {
		t.Fatalf("violations:\n%s", dump(v))
	}
}

// A v2 report (before expected figures) is still read as input: the v3
// schema describes it.
func TestV2ReportIsValid(t *testing.T) {
	data, err := os.ReadFile("testdata/report.v2.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, ok := jsonDoc(data)
	if !ok {
		t.Fatal("testdata/report.v2.json is not JSON")
	}
	if v := schema.ValidateReport(doc); v != nil {
		t.Fatalf("violations:\n%s", dump(v))
	}
}

func TestInvalidReports(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(t *testing.T, d map[string]any)
		want   []wantV
	}{
		{"version", func(t *testing.T, d map[string]any) { set(t, d, "/version", "trafficinator.report/v1") },
			[]wantV{{"/version", schema.KindEnum, "", `must be one of: trafficinator.report/v3, trafficinator.report/v2 (got "trafficinator.report/v1")`, ""}}},
		{"expected day without a date", func(t *testing.T, d map[string]any) { del(t, d, "/targets/0/expected/days/0/date") },
			[]wantV{{"/targets/0/expected/days/0", schema.KindRequired, "date", `missing required field "date"`, ""}}},
		{"sampled action of an unknown type", func(t *testing.T, d map[string]any) {
			set(t, d, "/targets/0/expected/sample/0/actions/0/type", "ping")
		}, []wantV{{"/targets/0/expected/sample/0/actions/0/type", schema.KindEnum, "", `(got "ping")`, ""}}},
		{"delivery other than at_least_once", func(t *testing.T, d map[string]any) { set(t, d, "/targets/0/delivery", "at_most_once") },
			[]wantV{{"/targets/0/delivery", schema.KindConst, "", `must be "at_least_once" (got "at_most_once")`, ""}}},
		{"missing total and policies_defined", func(t *testing.T, d map[string]any) {
			del(t, d, "/total")
			del(t, d, "/policies_defined")
		}, []wantV{
			{"", schema.KindRequired, "policies_defined", `missing required field "policies_defined"`, ""},
			{"", schema.KindRequired, "total", `missing required field "total"`, ""},
		}},
		{"policies null", func(t *testing.T, d map[string]any) { set(t, d, "/policies", nil) },
			[]wantV{{"/policies", schema.KindType, "", "expected array, got null", ""}}},
		{"unknown field with suggestion", func(t *testing.T, d map[string]any) { rename(t, d, "/targets/0/latency_ms", "latency") },
			[]wantV{
				{"/targets/0", schema.KindUnknownField, "latency", `unknown field "latency"`, "latency_ms"},
				{"/targets/0", schema.KindRequired, "latency_ms", `missing required field "latency_ms"`, ""},
			}},
		{"negative counter", func(t *testing.T, d map[string]any) { set(t, d, "/total/counters/ok", int64(-1)) },
			[]wantV{{"/total/counters/ok", schema.KindRange, "", "must be at least 0 (got -1)", ""}}},
		{"fractional counter", func(t *testing.T, d map[string]any) { set(t, d, "/targets/1/counters/hits", 1.5) },
			[]wantV{{"/targets/1/counters/hits", schema.KindType, "", "expected integer, got 1.5", ""}}},
		{"unknown hit kind", func(t *testing.T, d map[string]any) {
			set(t, d, "/total/counters/hits_by_kind/pageviews", int64(1))
		}, []wantV{{"/total/counters/hits_by_kind", schema.KindUnknownField, "pageviews", `unknown field "pageviews"`, "pageview"}}},
		{"status code", func(t *testing.T, d map[string]any) { set(t, d, "/total/counters/status/2040", int64(1)) },
			[]wantV{{"/total/counters/status", schema.KindUnknownField, "2040", `unknown field "2040"`, ""}}},
		{"outcome", func(t *testing.T, d map[string]any) { set(t, d, "/run/outcome", "ok") },
			[]wantV{{"/run/outcome", schema.KindEnum, "", "must be one of: passed, failed, aborted, interrupted", ""}}},
		{"digest", func(t *testing.T, d map[string]any) { set(t, d, "/scenario/digest", "md5:abc") },
			[]wantV{{"/scenario/digest", schema.KindPattern, "", "must match", ""}}},
		{"histogram", func(t *testing.T, d map[string]any) { set(t, d, "/targets/0/histogram", "") },
			[]wantV{{"/targets/0/histogram", schema.KindPattern, "", "must match", ""}}},
		{"no targets", func(t *testing.T, d map[string]any) { set(t, d, "/targets", []any{}) },
			[]wantV{{"/targets", schema.KindItems, "", "must have at least 1 item (got 0)", ""}}},
		{"firing action", func(t *testing.T, d map[string]any) { set(t, d, "/policies/0/action", "explode") },
			[]wantV{{"/policies/0/action", schema.KindEnum, "", "must be one of: warn, fail, abort, disable_target", ""}}},
		{"policy for", func(t *testing.T, d map[string]any) { set(t, d, "/policies_defined/0/for", "soon") },
			[]wantV{{"/policies_defined/0/for", schema.KindPattern, "", "must match", ""}}},
		{"series point", func(t *testing.T, d map[string]any) { del(t, d, "/total/series/0/p95_ms") },
			[]wantV{{"/total/series/0", schema.KindRequired, "p95_ms", `missing required field "p95_ms"`, ""}}},
		{"sink stats must be an object", func(t *testing.T, d map[string]any) { set(t, d, "/sinks/0/stats", "lots") },
			[]wantV{{"/sinks/0/stats", schema.KindType, "", "expected object, got string", ""}}},
		{"features ecommerce", func(t *testing.T, d map[string]any) { set(t, d, "/targets/0/features/ecommerce", true) },
			[]wantV{{"/targets/0/features/ecommerce", schema.KindType, "", "expected null or object, got boolean", ""}}},
		{"merged_from part", func(t *testing.T, d map[string]any) {
			set(t, d, "/merged_from", []any{map[string]any{"source": "a.json"}})
		}, []wantV{
			{"/merged_from/0", schema.KindRequired, "end", "", ""},
			{"/merged_from/0", schema.KindRequired, "exit_code", "", ""},
			{"/merged_from/0", schema.KindRequired, "id", "", ""},
			{"/merged_from/0", schema.KindRequired, "outcome", "", ""},
			{"/merged_from/0", schema.KindRequired, "seed", "", ""},
			{"/merged_from/0", schema.KindRequired, "start", "", ""},
			{"/merged_from/0", schema.KindRequired, "stop_reason", "", ""},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := reportDoc(t)
			c.mutate(t, doc)
			assertViolations(t, schema.ValidateReport(doc), c.want)
		})
	}
}

// Sink stats are free-form: any object passes.
func TestReportSinkStatsAreFree(t *testing.T) {
	doc := reportDoc(t)
	set(t, doc, "/sinks/0/stats", map[string]any{"anything": []any{int64(1), "x", nil}})
	if v := schema.ValidateReport(doc); v != nil {
		t.Fatalf("violations:\n%s", dump(v))
	}
}

// The scenario schema is unchanged by the second one: a report is not a
// scenario, and internal errors name the right schema.
func TestReportAndScenarioSchemasStayApart(t *testing.T) {
	v := schema.ValidateScenario(reportDoc(t))
	if len(v) == 0 || !strings.Contains(dump(v), `missing required field \"apiVersion\"`) {
		t.Fatalf("a report validated as a scenario:\n%s", dump(v))
	}
	v = schema.ValidateReport(referenceDoc(t))
	if len(v) == 0 || !strings.Contains(dump(v), `missing required field \"version\"`) {
		t.Fatalf("a scenario validated as a report:\n%s", dump(v))
	}
}

func FuzzValidateReport(f *testing.F) {
	// CompactReport of testdata/report.v3.json (runner/internal/loadtest keeps it
	// current): a third of the size, which the fuzzing engine mutates far
	// faster.
	data, err := os.ReadFile("testdata/report.v3.compact.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	for _, seed := range []string{`null`, `{}`, `[]`, `{"version":"trafficinator.report/v3","targets":[{}]}`,
		`{"total":{"counters":{"status":{"x":1e999}}}}`, `{"sinks":[{"stats":[]}]}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, ok := jsonDoc(data)
		if !ok {
			return
		}
		for _, v := range schema.ValidateReport(doc) {
			if strings.Contains(v.Message, "internal error") {
				t.Fatalf("internal error on %q: %+v", data, v)
			}
		}
	})
}
