package schema

import (
	"math/big"
	"slices"
	"testing"
)

func TestSuggest(t *testing.T) {
	target := []string{"api_url", "bulk", "enabled", "features", "headers", "insecure_skip_verify", "kind", "name", "site_id", "site_url", "timeout", "token_auth", "url", "weight"}
	run := []string{"backfill", "concurrency", "daily_cap", "duration", "max_visits", "mode", "rate", "seed", "stages", "timezone"}
	cases := []struct {
		name    string
		allowed []string
		want    string
	}{
		{"wieght", target, "weight"},
		{"concurency", run, "concurrency"},
		{"site-id", target, "site_id"},
		{"siteId", target, "site_id"},
		{"SITE_ID", target, "site_id"},
		{"ur", target, "url"},
		{"token", target, "token_auth"},              // prefix of exactly one
		{"timeout_ms", target, "timeout"},            // starts with exactly one
		{"concurr", run, "concurrency"},              // prefix
		{"site", target, ""},                         // prefix of two: site_id, site_url
		{"xyz", target, ""},                          // nothing close
		{"colour", target, ""},                       // nothing close
		{"nme", target, "name"},                      // distance 1 on a short name
		{"nm", target, ""},                           // distance 2 on a short name is too far
		{"max_visit", run, "max_visits"},             // distance 1
		{"dailycap", run, "daily_cap"},               // distance 1
		{"timzone", run, "timezone"},                 // distance 1
		{"durations", run, "duration"},               // distance 1
		{"duraton", run, "duration"},                 // distance 1
		{"rates", run, "rate"},                       // distance 1 beats prefix
		{"weight", nil, ""},                          // no allowed names
		{"", target, ""},                             // empty name
		{"stage", run, "stages"},                     // distance 1
		{"seeds", run, "seed"},                       // distance 1
		{"mode_of_run", run, "mode"},                 // starts with mode
		{"backfil", run, "backfill"},                 // distance 1
		{"insecure", target, "insecure_skip_verify"}, // prefix
	}
	for _, c := range cases {
		if got := Suggest(c.name, c.allowed); got != c.want {
			t.Errorf("Suggest(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}

// TestSuggestScenarioNames holds the cases of the former
// scenario/diag.Suggest (policy variables, target names), which now share
// the engine of the schema's hints.
func TestSuggestScenarioNames(t *testing.T) {
	cands := []string{"error_rate", "errors", "requests", "p95_ms", "eu", "us"}
	for name, want := range map[string]string{
		"eror_rate":  "error_rate",
		"errror":     "errors",
		"erorrs":     "errors", // a transposition is one edit
		"reqeusts":   "requests",
		"p59_ms":     "p95_ms",
		"zzz":        "",
		"xu":         "eu", // two letters: one edit is close
		"x":          "",   // one letter: never close
		"completely": "",
	} {
		if got := Suggest(name, cands); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", name, got, want)
		}
	}
	if got := Suggest(string(make([]byte, 100)), cands); got != "" {
		t.Errorf("long input: %q", got)
	}
	// One letter is never close, even to a one-letter candidate.
	if got := Suggest("x", []string{"y", "xy"}); got != "" {
		t.Errorf("one letter: %q", got)
	}
	// Ties go to the alphabetically first candidate, in any order.
	for _, cands := range [][]string{{"rate", "mate"}, {"mate", "rate"}} {
		if got := Suggest("xate", cands); got != "mate" {
			t.Errorf("tie in %v: %q", cands, got)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"", "abc", 3}, {"abc", "", 3}, {"wieght", "weight", 1}, {"kitten", "sitting", 3}, {"åäö", "aäö", 1}, {"same", "same", 0}, {"erorrs", "errors", 1}, {"ca", "abc", 3}} {
		if d := editDistance(c.a, c.b); d != c.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, d, c.d)
		}
	}
}

func TestFinishDeduplicatesAndSorts(t *testing.T) {
	v := func(p, f string, k Kind) leaf {
		return leaf{Violation: Violation{Pointer: p, Field: f, Kind: k, Message: "m"}}
	}
	got := finish([]leaf{
		v("/targets/10", "", KindType),
		v("/targets/2/name", "", KindType),
		v("/targets/2", "b", KindRequired),
		v("/targets/2", "a", KindUnknownField),
		v("/targets/2", "a", KindUnknownField),
		v("", "z", KindRequired),
		v("/a~1b", "", KindType),
	})
	want := []string{"|z", "/a~1b|", "/targets/2|a", "/targets/2|b", "/targets/2/name|", "/targets/10|"}
	var keys []string
	for _, g := range got {
		keys = append(keys, g.Pointer+"|"+g.Field)
	}
	if !slices.Equal(keys, want) {
		t.Fatalf("got %v, want %v", keys, want)
	}
	if finish(nil) != nil {
		t.Fatal("finish(nil) must be nil")
	}
}

func TestPointerEscapes(t *testing.T) {
	if got := pointer([]string{"headers", "a/b~c"}); got != "/headers/a~1b~0c" {
		t.Fatal(got)
	}
	if got := pointer(nil); got != "" {
		t.Fatal(got)
	}
}

func TestSafeValueHidesSecrets(t *testing.T) {
	cases := []struct {
		ptr  string
		v    any
		want string
		ok   bool
	}{
		{"/targets/0/token_auth", "abc", "", false},
		{"/targets/0/token_auth", int64(5), "", false},
		{"/targets/0/headers/Authorization", "Bearer x", "", false},
		{"/targets/0/headers", map[string]any{}, "", false},
		{"/routing", "weighted", `"weighted"`, true},
		{"/routing", "0123456789012345678901234567890123456789", `"0123456789012345678901234567890123456789"`, true},
		{"/routing", "01234567890123456789012345678901234567890", "", false},
		{"/routing", "ååååååååååååååååååååååååååååååååååååååå", `"ååååååååååååååååååååååååååååååååååååååå"`, true}, // 39 runes, 78 bytes
		{"/x", 1.5, "1.5", true},
		{"/x", int64(-3), "-3", true},
		{"/x", true, "true", true},
		{"/x", nil, "null", true},
		{"/x", big.NewRat(1, 2), "0.5", true},
		{"/x", []any{1}, "", false},
	}
	for _, c := range cases {
		got, ok := safeValue(c.ptr, c.v)
		if got != c.want || ok != c.ok {
			t.Errorf("safeValue(%q, %v) = %q, %v; want %q, %v", c.ptr, c.v, got, ok, c.want, c.ok)
		}
	}
}

func TestSchemaAt(t *testing.T) {
	c := scenarioSchema()
	if c.err != nil {
		t.Fatal(c.err)
	}
	root := propertyNames(schemaAt(c.raw, ScenarioV1ID+"#"))
	if !slices.Equal(root, []string{"apiVersion", "kind", "metadata", "policies", "routing", "run", "targets", "traffic"}) {
		t.Fatalf("root properties %v", root)
	}
	if got := propertyNames(schemaAt(c.raw, ScenarioV1ID+"#/$defs/feature/oneOf/1")); !slices.Equal(got, []string{"enabled", "probability"}) {
		t.Fatalf("feature object properties %v", got)
	}
	if got := intKeyword(schemaAt(c.raw, ScenarioV1ID+"#/$defs/backfill/properties/hourly_weights"), "maxItems"); got != 24 {
		t.Fatalf("hourly_weights maxItems %d", got)
	}
	for _, bad := range []string{"https://other.example/x.json#/$defs/target", ScenarioV1ID + "#/$defs/nope", ScenarioV1ID + "#/$defs/feature/oneOf/9", ScenarioV1ID + "#/%zz"} {
		if schemaAt(c.raw, bad) != nil {
			t.Errorf("schemaAt(%q) should be nil", bad)
		}
	}
}
