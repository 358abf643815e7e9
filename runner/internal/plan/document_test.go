package plan

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/scenario"
)

// digestScenario reads its token, its site and its rate from the
// environment; labels and headers are maps, which Go iterates in a random
// order.
const digestScenario = `apiVersion: trafficinator/v1
kind: Scenario
metadata:
  name: digest
  labels: {team: web, tier: load, env: ci, zone: eu}
run: {rate: "${RATE}", duration: 1m, seed: 3}
targets:
  - name: a
    url: https://matomo.example.com/matomo.php
    site_id: ${SITE:-1}
    token_auth: ${TOKEN}
    headers: {X-A: "1", X-B: "2", X-C: "3", X-D: "4"}
`

func compileEnv(t *testing.T, yaml string, env map[string]string) *Plan {
	t.Helper()
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	res := scenario.Load("d.yaml", []byte(yaml), scenario.Options{Lookup: lookup})
	if !res.Valid() {
		t.Fatalf("%v", res.Diags)
	}
	p, err := Compile(res.Scenario, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func digestOf(t *testing.T, env map[string]string) string {
	t.Helper()
	doc, err := Document(compileEnv(t, digestScenario, env))
	if err != nil {
		t.Fatal(err)
	}
	return doc["digest"].(string)
}

// The digest is of the inputs without their secrets: the same scenario
// gives the same digest every time (maps in any order), a new token the
// same digest, and a new rate or site another one.
func TestDigestStability(t *testing.T) {
	// 10/s is long enough to be redacted as a value from the environment
	// in the scenario's copy: the compiled stages still show it.
	env := map[string]string{"RATE": "10/s", "TOKEN": "0123456789abcdef0123456789abcdef"}
	want := digestOf(t, env)
	if !strings.HasPrefix(want, "sha256:") || len(want) != len("sha256:")+64 {
		t.Fatalf("digest %q", want)
	}
	for range 20 {
		if got := digestOf(t, env); got != want {
			t.Fatalf("digest changed between compilations: %s, then %s", want, got)
		}
	}
	if got := digestOf(t, map[string]string{"RATE": "10/s", "TOKEN": "fedcba9876543210fedcba9876543210"}); got != want {
		t.Errorf("a new token changed the digest: %s, then %s", want, got)
	}
	if got := digestOf(t, map[string]string{"RATE": "20/s", "TOKEN": "0123456789abcdef0123456789abcdef"}); got == want {
		t.Errorf("a new rate left the digest at %s", got)
	}
	if got := digestOf(t, map[string]string{"RATE": "10/s", "SITE": "2", "TOKEN": "0123456789abcdef0123456789abcdef"}); got == want {
		t.Errorf("a new site left the digest at %s", got)
	}
}

// The document holds no secret, and its digest is what it says: the
// sha256 of the canonical JSON of its scenario and overrides.
func TestDocumentHoldsNoSecret(t *testing.T) {
	token := "0123456789abcdef0123456789abcdef"
	p := compileEnv(t, digestScenario, map[string]string{"RATE": "5/s", "TOKEN": token})
	var buf bytes.Buffer
	if err := WriteJSON(&buf, p); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), token) {
		t.Fatalf("the plan shows the token:\n%s", buf.String())
	}
	doc, _ := Document(p)
	sc := doc["scenario"].(map[string]any)
	target := sc["targets"].([]any)[0].(map[string]any)
	if got := target["token_auth"]; got != "[redacted]" {
		t.Errorf("scenario.targets[0].token_auth = %v", got)
	}
	if got := target["headers"].(map[string]any)["X-A"]; got != "[redacted]" {
		t.Errorf("scenario.targets[0].headers.X-A = %v", got)
	}
}

// Every figure of the examples' plans is rounded: integers, cents for
// money, and at most 4 significant digits for the rest.
func TestPlanFiguresAreRounded(t *testing.T) {
	for name, path := range goldenScenarios {
		if _, err := os.Stat(goldenFile(path)); err != nil {
			continue
		}
		doc, err := Document(compileFile(t, path))
		if err != nil {
			t.Fatal(err)
		}
		delete(doc, "scenario") // the input, as written
		walkNumbers(doc, "", false, func(at string, n json.Number, money bool) {
			s := string(n)
			if !strings.ContainsAny(s, ".eE") {
				return
			}
			if money {
				if i := strings.IndexByte(s, '.'); len(s)-i-1 > 2 {
					t.Errorf("%s: %s is money with more than cents", name+at, s)
				}
				return
			}
			if d := significant(s); d > SignificantDigits {
				t.Errorf("%s: %s has %d significant digits", name+at, s, d)
			}
		})
	}
}

func walkNumbers(v any, at string, money bool, f func(string, json.Number, bool)) {
	switch x := v.(type) {
	case json.Number:
		f(at, x, money)
	case map[string]any:
		for k, e := range x {
			walkNumbers(e, at+"."+k, money || moneyFields[k], f)
		}
	case []any:
		for i, e := range x {
			walkNumbers(e, at+"["+strconv.Itoa(i)+"]", money, f)
		}
	}
}

// significant counts the significant digits of a decimal without exponent.
func significant(s string) int {
	digits := strings.TrimLeft(strings.ReplaceAll(strings.TrimPrefix(s, "-"), ".", ""), "0")
	if strings.Contains(s, ".") {
		return len(digits)
	}
	return len(strings.TrimRight(digits, "0"))
}

func TestRoundNumber(t *testing.T) {
	for _, tc := range []struct {
		in    string
		money bool
		want  string
	}{
		{"497.80000000000007", false, "497.8"},
		{"42460.705808080806", false, "42460"},
		{"0.30000000000000004", false, "0.3"},
		{"0.02993047882630531", false, "0.02993"},
		{"1.2345e-7", false, "0.0000001235"},
		{"231", false, "231"},
		{"299.99", true, "299.99"},
		{"15.990000000000002", true, "15.99"},
		{"0.1", false, "0.1"},
	} {
		if got := roundNumber(json.Number(tc.in), tc.money); string(got) != tc.want {
			t.Errorf("roundNumber(%s, money %v) = %s, want %s", tc.in, tc.money, got, tc.want)
		}
	}
}

// A backfill whose window is relative pins the clock it was planned at:
// compiled again later with the plan's overrides, it has the same days.
func TestRelativeBackfillPinsItsClock(t *testing.T) {
	planned := time.Date(2026, 11, 15, 12, 30, 15, 999, time.UTC)
	p := compileBF(t, "UTC", "last_days: 3", "", planned)
	if p.Overrides == nil || p.Overrides.Now != "2026-11-15T12:30:15Z" {
		t.Fatalf("overrides %+v, want now 2026-11-15T12:30:15Z", p.Overrides)
	}
	opts, err := p.Overrides.Options(p.Seed)
	if err != nil {
		t.Fatal(err)
	}
	if got := opts.Now(); !got.Equal(planned.Truncate(time.Second)) {
		t.Errorf("options' clock %v", got)
	}
	later := compileBF(t, "UTC", "last_days: 3", "", planned.AddDate(0, 0, 2))
	if later.Backfill.Days[0].Date == p.Backfill.Days[0].Date {
		t.Fatalf("the window did not move in two days: %s", later.Backfill.Days[0].Date)
	}
	again := compileBF(t, "UTC", "last_days: 3", "", opts.Now())
	a, _ := Document(p)
	b, _ := Document(again)
	if ch := Compare(a, b); len(ch) != 0 || a["digest"] != b["digest"] {
		t.Errorf("compiled at the pinned clock, the plan differs: %v", ch)
	}
	// An absolute window in the past needs no clock.
	old := compileBF(t, "UTC", "from: 2026-10-01, to: 2026-10-03", "", planned)
	if old.Overrides != nil {
		t.Errorf("an absolute past window recorded overrides %+v", old.Overrides)
	}
}

// Compare names every differing field, the scenario's first, and skips
// where the plan was made from (file, lines).
func TestCompare(t *testing.T) {
	a := compileEnv(t, digestScenario, map[string]string{"RATE": "5/s", "TOKEN": "0123456789abcdef0123456789abcdef"})
	b := compileEnv(t, strings.Replace(digestScenario, "duration: 1m", "duration: 2m", 1), map[string]string{"RATE": "5/s", "TOKEN": "x123456789abcdef"})
	da, _ := Document(a)
	db, _ := Document(b)
	db["file"] = "elsewhere/d.yaml"
	got := Compare(da, db)
	if len(got) == 0 || got[0].String() != "scenario.run.duration: 1m in the plan, 2m now" {
		t.Fatalf("changes %v", got)
	}
	for _, want := range []string{"stop.duration: 1m0s in the plan, 2m0s now", "expected.visits: 300 in the plan, 600 now"} {
		found := false
		for _, c := range got {
			found = found || c.String() == want
		}
		if !found {
			t.Errorf("no %q in %v", want, got)
		}
	}
	for _, c := range got {
		if c.Path == "file" || c.Path == "digest" || strings.Contains(c.Path, "token") {
			t.Errorf("unexpected change %v", c)
		}
	}
	if ch := Compare(da, da); len(ch) != 0 {
		t.Errorf("a plan differs from itself: %v", ch)
	}
}

// ReadDocument reads back what WriteJSON wrote.
func TestReadDocumentRoundTrip(t *testing.T) {
	p := compileFile(t, "testdata/optional.yaml")
	var buf bytes.Buffer
	if err := WriteJSON(&buf, p); err != nil {
		t.Fatal(err)
	}
	rv, err := ReadDocument(&buf, func(any) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := Document(p)
	if rv.Digest != doc["digest"] || rv.File != "testdata/optional.yaml" || rv.Seed != p.Seed {
		t.Errorf("read back digest %s, file %s, seed %d", rv.Digest, rv.File, rv.Seed)
	}
	if ch := Compare(rv.Doc, doc); len(ch) != 0 {
		t.Errorf("the plan read back differs: %v", ch)
	}
}

// A URL list read from a file is an input: a changed file is a changed
// plan, named as traffic.urls.sha256.
func TestURLFileIsInTheDigest(t *testing.T) {
	dir := t.TempDir()
	urls := dir + "/urls.txt"
	yaml := "apiVersion: trafficinator/v1\nkind: Scenario\nmetadata: {name: u}\nrun: {rate: 1/s, duration: 1m, seed: 1}\n" +
		"targets:\n  - {name: s, kind: sink, site_id: 1}\ntraffic:\n  urls: {file: urls.txt}\n"
	compileURLs := func(content string) map[string]any {
		t.Helper()
		if err := os.WriteFile(urls, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		res := scenario.Load(dir+"/s.yaml", []byte(yaml), scenario.Options{Lookup: func(string) (string, bool) { return "", false }})
		if !res.Valid() {
			t.Fatalf("%v", res.Diags)
		}
		p, err := Compile(res.Scenario, Options{})
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Document(p)
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	a := compileURLs("https://example.com/a\n")
	b := compileURLs("https://example.com/b\n")
	if a["digest"] == b["digest"] {
		t.Fatal("a changed URL file left the digest as it was")
	}
	ch := Compare(a, b)
	if len(ch) != 1 || ch[0].Path != "traffic.urls.sha256" {
		t.Errorf("changes %v, want traffic.urls.sha256 alone", ch)
	}
}
