package model

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// fuzzSecret is the value of ${SECRET} in the fuzz test: no diagnostic may
// show it unless the input itself spells it out.
const fuzzSecret = "S3cr3t-T0k3n-Zq9"

// fuzzSeeds are inputs that reach the corners of the loader: aliases that
// expand exponentially, deep nesting, merge keys, odd scalars, every
// interpolation form and a policy expression of each kind.
var fuzzSeeds = []string{
	"",
	"\t",
	"a: &a [*a]\n",
	"a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: &d [*c, *c]\ne: &e [*d, *d]\nf: &f [*e, *e]\ng: &g [*f, *f]\nh: &h [*g, *g]\ni: &i [*h, *h]\nj: [*i, *i, *i, *i, *i, *i, *i, *i]\n",
	strings.Repeat("[", 500) + strings.Repeat("]", 500),
	strings.Repeat("- ", 300) + "x\n",
	"base: &b {name: a, kind: sink, site_id: 1}\n" + head + run1m + "targets:\n  - <<: *b\n    weight: 2\n",
	head + run1m + "targets:\n  - {name: a, kind: sink, site_id: 99999999999999999999999}\n",
	head + run1m + "targets:\n  - {name: a, kind: sink, site_id: 1, weight: .nan}\n",
	head + run1m + "targets:\n  - {name: a, kind: sink, site_id: 1, weight: .inf}\n",
	head + "run: {duration: 1e300d, rate: 1e999/s}\n" + sinkTarget,
	withTargets("targets:\n  - name: ${SECRET}\n    kind: sink\n    site_id: ${SECRET}\n    token_auth: ${SECRET:?x}\n"),
	withTail("policies:\n  - {name: p, when: 'window(\"1m\").errors > 0 && p95_ms_over(\"30s\") > 1', action: warn}\n"),
	withTail("policies:\n  - {name: p, when: 'window(target) > 1', action: warn}\n"),
	withTail("policies:\n  - name: p\n    when: |\n      status[\"500\"] > 0 &&\n      error_rate_over(\"x\")\n    action: warn\n"),
	withTail("metadata: {name: ${A:-${B}}}\n"),
	withTail("metadata: {name: \"${NOPE:-${SECRET}}\", description: ${X:-${Y:-${Z-}}}}\n"), // nested defaults
	withTail("policies:\n  - {name: p, when: '" + strings.Repeat("(", 40) + "hits > 0 && 10 % hits == 1" + strings.Repeat(")", 40) + "', action: fail}\n"),
	"\xef\xbb\xbf" + validBase,
	strings.ReplaceAll(validBase, "\n", "\r\n"),
	"%YAML 1.1\n---\n" + validBase,
	"!!binary aGVsbG8=\n",
	"? [a, b]\n: c\n",
	"\r00", // a lone CR ends a line in YAML
	withTargets("targets:\n  - <<: 5\n    name: a\n    kind: sink\n    site_id: 1\n"),
	"a: &a {x: 1}\nb: &b {<<: [*a, *a, *a, *a]}\nc: &c {<<: [*b, *b, *b, *b]}\nd: {<<: [*c, *c, *c, *c]}\n",
}

// slowLoad is how long one Load may take under TFI_FUZZ_SLOW=1 (set it
// when fuzzing to catch inputs that make the loader crawl). It is generous:
// the machine is shared and fuzzing instruments the code.
const slowLoad = 5 * time.Second

// yamlLines counts lines as YAML does: \r\n, \n, a lone \r and the
// Unicode breaks NEL, LS and PS each end one.
func yamlLines(data []byte) int {
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	return 1 + strings.Count(s, "\n") + strings.Count(s, "\r") +
		strings.Count(s, "\u0085") + strings.Count(s, "\u2028") + strings.Count(s, "\u2029")
}

func FuzzLoad(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	for _, c := range invalidCases {
		f.Add([]byte(c.src))
	}
	examples, _ := filepath.Glob("../../../examples/*.yaml")
	for _, e := range examples {
		if b, err := os.ReadFile(e); err == nil {
			f.Add(b)
		}
	}
	opts := testOptions(map[string]string{"SECRET": fuzzSecret, "EMPTY": "", "SITE": "3"})
	Load("warm-up.yaml", []byte(validBase), opts) // compile the schema before timing
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		r := Load("f.yaml", data, opts)
		if d := time.Since(start); d > slowLoad && os.Getenv("TFI_FUZZ_SLOW") != "" {
			t.Fatalf("Load took %v", d)
		}
		if r.Valid() != (r.Scenario != nil && !r.Diags.HasErrors()) {
			t.Fatalf("Valid() disagrees with the diagnostics")
		}
		if r.Source == nil || r.Source.File != "f.yaml" {
			t.Fatalf("no source")
		}
		lines := yamlLines(data)
		for _, d := range r.Diags {
			if d.File != "f.yaml" || d.Message == "" {
				t.Fatalf("diagnostic without file or message: %+v", d)
			}
			if d.Line < 1 || d.Line > lines || d.Column < 1 {
				t.Fatalf("position %d:%d outside the file (%d lines): %+v", d.Line, d.Column, lines, d)
			}
			if d.Severity != diag.Error && d.Severity != diag.Warning {
				t.Fatalf("severity %v", d.Severity)
			}
			if strings.Contains(d.Message, "internal error") {
				t.Fatalf("internal error: %+v", d)
			}
			if !strings.Contains(string(data), fuzzSecret) &&
				(strings.Contains(d.Message, fuzzSecret) || strings.Contains(d.Hint, fuzzSecret)) {
				t.Fatalf("secret shown: %+v", d)
			}
		}
		// Loading is deterministic: the same bytes give the same report.
		again := Load("f.yaml", data, opts)
		if !reflect.DeepEqual(r.Diags, again.Diags) {
			t.Fatalf("two loads differ:%s\nvs%s", dump(r.Diags), dump(again.Diags))
		}
	})
}
