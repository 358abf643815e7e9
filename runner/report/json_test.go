package report_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/loadtest"

	"github.com/trafficinator/trafficinator/runner/report"
)

// A report with nothing fired and no requests writes [] and {}, never
// null: the schema requires lists and maps there.
func TestWriteJSONWritesEmptyListsNotNull(t *testing.T) {
	r := reportFrom("r1", digestA, t0, time.Second, named{"a", newRec()})
	r.Policies, r.PoliciesDefined, r.Targets[0].Series = nil, nil, nil
	r.Total.Counters.HitsByKind, r.Total.Counters.Status, r.Total.Planned.HitsByKind = nil, nil, nil
	r.Backfill = &report.BackfillReport{Timezone: "UTC"}
	out := string(encode(t, r))
	for _, want := range []string{`"policies": [],`, `"policies_defined": [],`, `"series": [],`, `"hits_by_kind": {},`, `"status": {}`, `"days": [],`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
	if strings.Contains(out, "null") {
		t.Errorf("null in\n%s", out)
	}
	if r.Policies != nil || r.Backfill.Days != nil {
		t.Error("WriteJSON changed the report it was given")
	}
}

func TestDecodeRejects(t *testing.T) {
	good := encode(t, reportFrom("r1", digestA, t0, time.Second, named{"a", newRec()}))
	cases := []struct {
		name, data, want string
	}{
		{"not JSON", "report", "not a report: invalid character"},
		{"not an object", "[1]", "not a report: json: cannot unmarshal array"},
		{"unknown field", strings.Replace(string(good), `"version"`, `"bogus": 1, "version"`, 1), `not a report: json: unknown field "bogus"`},
		{"unknown field in sink stats", strings.Replace(string(good), `"policies": []`, `"sinks": [{"target": "a", "stats": {}, "extra": 1}], "policies": []`, 1), `unknown field "extra"`},
		{"trailing data", string(good) + "{}", "not a report: data after the JSON object"},
		{"version", strings.Replace(string(good), report.Version, "trafficinator.report/v9", 1), `report version "trafficinator.report/v9" is not supported`},
	}
	for _, c := range cases {
		_, err := report.Decode([]byte(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.name, err, c.want)
		}
	}
	if _, err := report.Decode(append(good, "\n\n"...)); err != nil {
		t.Errorf("trailing white space: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	data, err := os.ReadFile("../../schema/testdata/report.v3.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(compactSeed(f, data))
	for _, s := range []string{`{}`, `null`, `{"version":"trafficinator.report/v3","sinks":[{"stats":null}]}`,
		`{"version":"trafficinator.report/v3","total":{"histogram":"HISTFAAAAA=="}}`, `{"run":{"seed":-1}}`,
		`{"version":"trafficinator.report/v2","targets":[{"name":"a","expected":{"days":[{"date":"2026-01-02"},{"date":"2026-01-01","countries":{"de":1}}],"sample":[{"visitor_id":"x","actions":null}]}}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := report.Decode(data)
		if err != nil {
			return
		}
		// Whatever decodes writes, merges with itself and diffs without a
		// panic, and a report written and read again writes the same.
		var b bytes.Buffer
		if err := report.WriteJSON(&b, r); err != nil {
			t.Fatal(err)
		}
		again, err := report.Decode(b.Bytes())
		if err != nil {
			t.Fatalf("re-decoding what WriteJSON wrote: %v", err)
		}
		var b2 bytes.Buffer
		_ = report.WriteJSON(&b2, again)
		if !bytes.Equal(b.Bytes(), b2.Bytes()) {
			t.Fatalf("not stable:\n%s\n%s", b.Bytes(), b2.Bytes())
		}
		in := report.Input{Source: "x", Report: r}
		_, _ = report.Merge([]report.Input{in, in})
		_ = report.Compare(in, in, report.Thresholds{})
		_ = report.WriteTable(&bytes.Buffer{}, r)
	})
}

// compactSeed is loadtest.CompactReport for a fuzz corpus.
func compactSeed(f *testing.F, data []byte) []byte {
	out, err := loadtest.CompactReport(data)
	if err != nil {
		f.Fatal(err)
	}
	return out
}
