package legacy_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/legacy"
)

// TestFunnelFile maps testdata/funnels.json as its README describes: the
// valid funnel whole, the one disabled with the string "false" kept on
// (with a warning), the one that starts with an event left out.
func TestFunnelFile(t *testing.T) {
	res := migrateFile(t, "backfill.env", testOptions())
	fs := res.Scenario.Traffic.Funnels
	if len(fs) != 2 || fs[0].Name != "Checkout" || fs[1].Name != "Guide download" {
		t.Fatalf("funnels %+v", fs)
	}
	c := fs[0]
	if c.Probability != 0.2 || c.Priority != 0 || !c.IsEnabled() || !c.ExitsAfterCompletion() || c.Description != "Landing, product, cart, order" {
		t.Errorf("checkout %+v", c)
	}
	// A legacy delay is the time after its step: it moves to the next one.
	want := []scenario.FunnelStep{
		{Type: "pageview", URL: "https://shop.example.org/"},
		{Type: "event", Category: "Product", Action: "AddToCart", Name: "Widget", Value: ptr(19.0), Delay: delay(0, 2*time.Second)},
		{Type: "site_search", Keyword: "widget", SearchCategory: "Products", Results: ptr(4), Delay: delay(time.Second, 3*time.Second)},
		{Type: "pageview", URL: "https://shop.example.org/checkout"},
		{Type: "ecommerce", URL: "https://shop.example.org/order/complete", OrderValue: &scenario.FloatRange{Min: 59.9, Max: 59.9}, Delay: delay(5*time.Second, 20*time.Second)},
	}
	if c.EndDelay != nil {
		t.Errorf("end delay %+v: the last legacy step has none", c.EndDelay)
	}
	if len(c.Steps) != len(want) {
		t.Fatalf("%d steps", len(c.Steps))
	}
	for i, w := range want {
		if got := stepText(c.Steps[i]); got != stepText(w) {
			t.Errorf("step %d:\n got %s\nwant %s", i+1, got, stepText(w))
		}
	}
	g := fs[1]
	if !g.IsEnabled() || g.ExitsAfterCompletion() || g.Priority != 1 || len(g.Steps) != 3 ||
		g.Steps[1].Type != "download" || g.Steps[1].Target != "/files/guide.pdf" || g.Steps[2].Target != "https://github.com/" {
		t.Errorf("guide %+v", g)
	}
	const file = "testdata/funnels.json"
	for _, w := range []diagAt{
		{21, 16, diag.Warning, `funnel 2 ("Guide download") has "enabled": "false", which the legacy loader read as true`},
		{22, 30, diag.Warning, "exit_after_completion false: the legacy loader then started a second visit"},
		{32, 24, diag.Warning, `funnel 3 ("Starts with an event"): its first step is event, not a pageview; the legacy loader skipped it`},
		{14, 100, diag.Info, "ecommerce_revenue 59.9 becomes order_value"},
	} {
		if !findDiag(res.Diags, file, w) {
			t.Errorf("missing %+v in\n%s", w, render(res))
		}
	}
}

func ptr[T any](v T) *T { return &v }

func delay(lo, hi time.Duration) *scenario.DurationRange {
	return &scenario.DurationRange{Min: scenario.Duration{D: lo}, Max: scenario.Duration{D: hi}}
}

// stepText renders a step's values (not positions) for comparison.
func stepText(s scenario.FunnelStep) string {
	var b strings.Builder
	b.WriteString(s.Type + " " + s.URL + " " + s.ActionName + " " + s.Category + " " + s.Action + " " + s.Name + " " + s.Keyword + " " + s.SearchCategory + " " + s.Target)
	if s.Value != nil {
		b.WriteString(" v=" + fmtF(*s.Value))
	}
	if s.Results != nil {
		b.WriteString(" r=" + fmtF(float64(*s.Results)))
	}
	if s.Delay != nil {
		b.WriteString(" d=" + s.Delay.Min.D.String() + ".." + s.Delay.Max.D.String())
	}
	if s.OrderValue != nil {
		b.WriteString(" o=" + fmtF(s.OrderValue.Min) + ".." + fmtF(s.OrderValue.Max))
	}
	return b.String()
}

func fmtF(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// migrateWithFunnels migrates env with a funnels.json of the given text.
func migrateWithFunnels(t *testing.T, funnels string) *legacy.Result {
	t.Helper()
	opts := testOptions()
	opts.ReadFile = func(p string) ([]byte, error) {
		if filepath.Base(p) == "f.json" {
			return []byte(funnels), nil
		}
		return nil, fs.ErrNotExist
	}
	return legacy.Migrate("test.env", []byte(baseEnv+"FUNNEL_CONFIG_PATH=f.json\n"), opts)
}

func TestFunnelSteps(t *testing.T) {
	res := migrateWithFunnels(t, `[
 {"name": "A", "probability": "0.5", "priority": -3, "exit_after_completion": false, "steps": [
  {"type": "pageview", "url": "https://s.example/a", "delay_seconds_min": 4, "delay_seconds_max": 1},
  {"type": "outlink", "target_url": "/partner"},
  {"type": "download"},
  {"type": "event", "event_category": "C", "event_action": "A"},
  {"type": "pageview"}
 ]},
 {"name": "A", "probability": 2, "steps": [{"type": "pageview", "titel": "x"}, {"type": "site_search", "search_keyword": 7, "search_results": -1}]},
 {"name": "B", "steps": [{"type": "pageview"}, {"type": "pagevew"}]}
]`)
	if res.Diags.HasErrors() {
		t.Fatal(render(res))
	}
	fs := res.Scenario.Traffic.Funnels
	if len(fs) != 2 {
		t.Fatalf("%d funnels: %+v", len(fs), fs)
	}
	a := fs[0]
	if a.Probability != 0.5 || a.Priority != 0 || !a.ExitsAfterCompletion() || len(a.Steps) != 3 {
		t.Fatalf("A = %+v", a)
	}
	if a.Steps[0].Delay != nil {
		t.Errorf("first step delay %+v: the legacy delay is the time after it", a.Steps[0].Delay)
	}
	if d := a.Steps[1].Delay; d == nil || d.Min.D != 4*time.Second || d.Max.D != 4*time.Second {
		t.Errorf("delay %+v: max is raised to min, and the time after step 1 is the time before step 2", d)
	}
	if a.Steps[1].Target != "https://s.example/partner" {
		t.Errorf("relative outlink → %q", a.Steps[1].Target)
	}
	if a.Steps[2].Target != "https://s.example/a" {
		t.Errorf("download without target_url → %q, want the page", a.Steps[2].Target)
	}
	a2 := fs[1]
	if a2.Name != "A (2)" || a2.Probability != 1 || a2.Priority != 1 || a2.Steps[1].Keyword != "7" || a2.Steps[1].Results != nil {
		t.Errorf("second A = %+v", a2)
	}
	for _, has := range []string{
		"funnel 1 (\"A\"), step 4 has no usable event_name: the legacy loader aborted the visit at this step (defect 14), so the funnel ends before it, and exit_after_completion is true",
		"funnel name \"A\" is used twice; the second is renamed \"A (2)\"",
		"probability 2 is clamped to 1",
		"search_results -1 is not a count",
		"unknown funnel step field \"titel\"",
		"funnel 3 (\"B\"): step 2 has type \"pagevew\" (did you mean \"pageview\"?)",
		"negative funnel priorities are renumbered",
	} {
		if !strings.Contains(render(res), has) {
			t.Errorf("missing %q in\n%s", has, render(res))
		}
	}
}

func TestFunnelFileProblems(t *testing.T) {
	res := migrateWithFunnels(t, `{"name": "not a list"}`)
	if !findDiag(res.Diags, "f.json", diagAt{1, 1, diag.Error, "a funnel file is a JSON array of funnels"}) {
		t.Errorf("%s", render(res))
	}
	res = migrateWithFunnels(t, "[\n  {\"name\": \"x\",, }\n]")
	found := false
	for _, d := range res.Diags {
		found = found || d.File == "f.json" && d.Line == 2 && d.Severity == diag.Error && strings.Contains(d.Message, "invalid JSON")
	}
	if !found {
		t.Errorf("no JSON error on line 2:\n%s", render(res))
	}
	res = legacy.Migrate("test.env", []byte(baseEnv+"FUNNEL_CONFIG_PATH=missing.json\n"), legacy.Options{Now: now, Lookup: noEnv,
		ReadFile: func(string) ([]byte, error) { return nil, fs.ErrNotExist }})
	if res.Diags.HasErrors() || !findDiag(res.Diags, "test.env", diagAt{3, 20, diag.Warning, "missing.json does not exist: the legacy loader then ran without funnels"}) {
		t.Errorf("%s", render(res))
	}
}

// TestSideFilesRelativeToEnv: FUNNEL_CONFIG_PATH and URLS_FILE are read
// relative to the .env file; the scenario refers to the URL file relative
// to where it is written.
func TestSideFilesRelativeToEnv(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("legacy/data/urls.txt", "https://a.example/1    One\nhttps://a.example/2\tTwo\n# comment\n\n")
	write("legacy/data/funnels.json", `[{"name":"F","probability":0.1,"steps":[{"type":"pageview"}]}]`)
	envPath := write("legacy/site.env", baseEnv+"URLS_FILE=data/urls.txt\nFUNNEL_CONFIG_PATH=data/funnels.json\n")
	data, _ := os.ReadFile(envPath)

	res := legacy.Migrate(envPath, data, testOptions())
	if res.Diags.HasErrors() {
		t.Fatal(render(res))
	}
	if u := res.Scenario.Traffic.URLs; u == nil || u.File != "data/urls.txt" {
		t.Errorf("urls %+v, want data/urls.txt (beside the .env)", u)
	}
	if len(res.Scenario.Traffic.Funnels) != 1 {
		t.Errorf("funnels %+v", res.Scenario.Traffic.Funnels)
	}
	opts := testOptions()
	opts.OutDir = filepath.Join(dir, "out")
	res = legacy.Migrate(envPath, data, opts)
	if u := res.Scenario.Traffic.URLs; u == nil || u.File != "../legacy/data/urls.txt" {
		t.Errorf("urls %+v, want ../legacy/data/urls.txt (from out/)", u)
	}
	// The in-memory YAML, loaded in place of the .env, finds the file.
	res = legacy.Migrate(envPath, data, testOptions())
	lr := scenario.Load(envPath, res.YAML, scenario.Options{Lookup: runLookup(res), Now: now})
	if !lr.Valid() {
		t.Fatalf("%v", lr.Diags)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(envPath), lr.Scenario.Traffic.URLs.File)); err != nil {
		t.Errorf("the scenario's URL file does not resolve: %v", err)
	}
	// --urls and --funnels replace the variables.
	opts = testOptions()
	opts.URLsFile = write("other-urls.txt", "https://b.example/\n")
	opts.FunnelsFile = write("other.json", `[]`)
	res = legacy.Migrate(envPath, data, opts)
	if u := res.Scenario.Traffic.URLs; u == nil || u.File != "../other-urls.txt" || len(res.Scenario.Traffic.Funnels) != 0 {
		t.Errorf("urls %+v, funnels %d", u, len(res.Scenario.Traffic.Funnels))
	}
}

func TestURLFileProblems(t *testing.T) {
	migrate := func(env, urls string) *legacy.Result {
		opts := testOptions()
		opts.ReadFile = func(p string) ([]byte, error) {
			if filepath.Base(p) == "u.txt" {
				return []byte(urls), nil
			}
			return nil, fs.ErrNotExist
		}
		return legacy.Migrate("test.env", []byte(baseEnv+env), opts)
	}
	res := migrate("URLS_FILE=u.txt\n", "https://ok.example/\n  ftp://bad.example/\nhttps://x.example/a title\n")
	for _, w := range []diagAt{
		{2, 3, diag.Error, "not an absolute http(s) URL with a host"},
		{3, 20, diag.Error, "a space after the URL must be a TAB or two spaces before a title"},
	} {
		if !findDiag(res.Diags, "u.txt", w) {
			t.Errorf("missing %+v in\n%s", w, render(res))
		}
	}
	res = migrate("URLS_FILE=u.txt\n", "# only a comment\n")
	if !strings.Contains(render(res), "the URL file has no URLs") {
		t.Errorf("%s", render(res))
	}
	res = migrate("URLS_FILE=/app/data/urls.txt\n", "")
	if res.Diags.HasErrors() || !res.Scenario.Traffic.URLs.Builtin ||
		!findDiag(res.Diags, "test.env", diagAt{3, 11, diag.Warning, "does not exist: the legacy loader then fell back to its built-in list"}) {
		t.Errorf("missing URL file: %s", render(res))
	}
	res = migrate("URLS_FILE=/config/urls.txt\n", "")
	if res.Diags.HasErrors() || !res.Scenario.Traffic.URLs.Builtin || strings.Contains(render(res), "does not exist") ||
		!strings.Contains(render(res), "the built-in site map holds the same pages") {
		t.Errorf("the image's list: %s", render(res))
	}
}

// TestFunnelDelaysMoveOn checks that the gaps between the steps stay the
// legacy ones: step i's delay (the time after it) becomes step i+1's (the
// time before it), a left-out step's delay adds to the next kept step's,
// and the last step's delay becomes end_delay (the time before the ping).
func TestFunnelDelaysMoveOn(t *testing.T) {
	res := migrateWithFunnels(t, `[
 {"name": "D", "probability": 1, "steps": [
  {"type": "pageview", "url": "https://s.example/a", "delay_seconds_min": 1, "delay_seconds_max": 2},
  {"type": "event", "event_category": "", "event_action": "A", "event_name": "n", "delay_seconds_min": 10, "delay_seconds_max": 20},
  {"type": "pageview", "url": "https://s.example/b", "delay_seconds_min": 3},
  {"type": "pageview", "url": "https://s.example/c"},
  {"type": "pageview", "url": "https://s.example/d", "delay_seconds_min": 7, "delay_seconds_max": 9}
 ]}
]`)
	if res.Diags.HasErrors() {
		t.Fatal(render(res))
	}
	f := res.Scenario.Traffic.Funnels[0]
	var got []string
	for _, st := range f.Steps {
		got = append(got, stepText(st))
	}
	var want []string
	for _, st := range []scenario.FunnelStep{
		{Type: "pageview", URL: "https://s.example/a"},
		// The event is left out (empty category): its 10..20s add to 1..2s.
		{Type: "pageview", URL: "https://s.example/b", Delay: delay(11*time.Second, 22*time.Second)},
		{Type: "pageview", URL: "https://s.example/c", Delay: delay(3*time.Second, 3*time.Second)},
		{Type: "pageview", URL: "https://s.example/d"},
	} {
		want = append(want, stepText(st))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("steps\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d := f.EndDelay; d == nil || d.Min.D != 7*time.Second || d.Max.D != 9*time.Second {
		t.Errorf("end delay %+v, want 7s..9s (the last step's)", d)
	}
	if !strings.Contains(string(res.YAML), "end_delay: { min: 7s, max: 9s }  # the time after legacy step 5 (delay_seconds_min/max)") {
		t.Errorf("YAML without the end delay and its source:\n%s", res.YAML)
	}
	if !strings.Contains(string(res.YAML), "delay: { min: 11s, max: 22s }  # the time after legacy step 1 + 2 (delay_seconds_min/max)") {
		t.Errorf("YAML without the summed delay and its source:\n%s", res.YAML)
	}
}
