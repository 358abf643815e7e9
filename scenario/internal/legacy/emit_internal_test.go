package legacy

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/scenario/internal/model"
)

// TestEmitRoundTripsTheReference: the emitter covers every field of v1.
// The reference scenario, loaded, written by the emitter and loaded again,
// gives the same Go values (positions and raw spellings aside).
func TestEmitRoundTripsTheReference(t *testing.T) {
	data, err := os.ReadFile("../../../examples/reference.yaml")
	if err != nil {
		t.Skip("examples/reference.yaml:", err)
	}
	opts := model.Options{
		Lookup: func(string) (string, bool) { return "", false },
		Now:    func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) },
	}
	first := model.Load("reference.yaml", data, opts)
	if !first.Valid() {
		t.Fatalf("reference: %v", first.Diags)
	}
	out := emit(first.Scenario, newComments())
	second := model.Load("emitted.yaml", out, opts)
	if !second.Valid() {
		t.Fatalf("emitted YAML does not load: %v\n%s", second.Diags, out)
	}
	a, b := comparable(t, first.Scenario), comparable(t, second.Scenario)
	if a != b {
		t.Errorf("the emitted scenario differs\nbefore: %s\nafter:  %s\nYAML:\n%s", a, b, out)
	}
}

// comparable renders a scenario as JSON: positions are left out by the
// json tags, and the value types marshal their raw text.
func comparable(t *testing.T, s *model.Scenario) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestEmitEscapesDollars: literal "$" survives the loader's ${VAR}
// expansion; a token reference is written to be expanded.
func TestEmitEscapesDollars(t *testing.T) {
	s := &model.Scenario{
		APIVersion: model.APIVersion, Kind: model.Kind,
		Metadata: model.Metadata{Name: "n", Description: "costs $5 or ${NOT_A_VAR} or $$"},
		Targets:  []model.Target{{Name: "t", Kind: "sink", SiteID: 1, TokenAuth: "${TOKEN}"}},
		Run:      model.Run{Duration: &model.Duration{Raw: "1m", D: time.Minute}},
	}
	out := emit(s, newComments())
	res := model.Load("x.yaml", out, model.Options{Lookup: func(n string) (string, bool) { return "value-of-" + n, n == "TOKEN" }})
	if !res.Valid() {
		t.Fatalf("%v\n%s", res.Diags, out)
	}
	if got := res.Scenario.Metadata.Description; got != s.Metadata.Description {
		t.Errorf("description %q, want %q", got, s.Metadata.Description)
	}
	if got := res.Scenario.Targets[0].TokenAuth; got != "value-of-TOKEN" {
		t.Errorf("token %q: the reference was not expanded", got)
	}
}

// TestEmitComments: notes go above their field, indented with it, wrapped;
// trailing comments follow the value; the header follows the modeline.
func TestEmitComments(t *testing.T) {
	s := &model.Scenario{
		APIVersion: model.APIVersion, Kind: model.Kind, Metadata: model.Metadata{Name: "n"},
		Run:     model.Run{Concurrency: 5},
		Targets: []model.Target{{Name: "t", Kind: "sink", SiteID: 1}},
	}
	c := newComments()
	c.header = []string{"head line"}
	c.note("/run/concurrency", "the note")
	c.note("/run/concurrency", "the note") // kept once
	c.note("/targets/0", "about the target")
	c.from("/run/concurrency", "CONCURRENCY=5")
	got := string(emit(s, c))
	want := SchemaModeline + `
#
# head line
apiVersion: trafficinator/v1
kind: Scenario

metadata:
  name: n

run:
  # note: The note.
  concurrency: 5  # CONCURRENCY=5

targets:
  # note: About the target.
  - name: t
    kind: sink
    site_id: 1
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if n := strings.Count(got, "The note"); n != 1 {
		t.Errorf("the note is written %d times", n)
	}
}
