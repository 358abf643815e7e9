package model

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// expandValue parses "v: <text>", expands it and returns the value node
// and the interpolation state.
func expandValue(t *testing.T, text string, env map[string]string) (*yaml.Node, *interpolation) {
	t.Helper()
	src := "v: " + text + "\n"
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	ip := &interpolation{lookup: envLookup(env), file: "t.yaml", data: []byte(src)}
	ip.expandNode(&doc)
	return doc.Content[0].Content[1], ip
}

func TestInterpolationExpands(t *testing.T) {
	env := map[string]string{"SET": "value", "EMPTY": "", "SITE": "7", "B": "true"}
	cases := []struct {
		text, want, tag string
	}{
		{"${SET}", "value", "!!str"},
		{"pre-${SET}-post", "pre-value-post", "!!str"},
		{"${SET}${SET}", "valuevalue", "!!str"},
		{"${UNSET:-fallback}", "fallback", "!!str"},
		{"${EMPTY:-fallback}", "fallback", "!!str"}, // :- also covers set-but-empty
		{"${EMPTY-fallback}", "", "!!null"},         // - covers unset only; an empty plain scalar is null
		{"${UNSET-fallback}", "fallback", "!!str"},
		{"${SET:-fallback}", "value", "!!str"},
		{"${SET:?must be set}", "value", "!!str"},
		{"${UNSET:-}", "", "!!null"},
		{"$$", "$", "!!str"},
		{"$${SET}", "${SET}", "!!str"}, // $$ escapes the reference itself
		{"cost $$5", "cost $5", "!!str"},
		{"a$b", "a$b", "!!str"}, // $NAME without braces is left alone
		{"trailing$", "trailing$", "!!str"},
		{"${SITE}", "7", "!!int"}, // plain scalars are re-typed after expansion
		{"${SITE:-4}", "7", "!!int"},
		{"${UNSET:-4}", "4", "!!int"},
		{"${UNSET:-0.5}", "0.5", "!!float"},
		{"${B}", "true", "!!bool"},
		{`"${UNSET:-4}"`, "4", "!!str"}, // quoted stays a string, as "4" would
		{`'${UNSET:-4}'`, "4", "!!str"},
		{"!!str ${UNSET:-4}", "4", "!!str"}, // an explicit tag is kept
		{"no dollar", "no dollar", "!!str"},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			n, ip := expandValue(t, tc.text, env)
			if len(ip.diags) != 0 {
				t.Fatalf("unexpected diagnostics:%s", dump(ip.diags))
			}
			if n.Value != tc.want || n.ShortTag() != tc.tag {
				t.Errorf("got %q %s, want %q %s", n.Value, n.ShortTag(), tc.want, tc.tag)
			}
		})
	}
}

func TestInterpolationErrors(t *testing.T) {
	cases := []struct {
		text string
		env  map[string]string
		col  int
		msg  string
		hint string
	}{
		{"${UNSET}", nil, 4, "variable UNSET is not set", "export UNSET, pass --env-file, or give a default: ${UNSET:-value}"},
		{"abc ${UNSET}", nil, 8, "variable UNSET is not set", ""},
		{`"abc ${UNSET}"`, nil, 9, "variable UNSET is not set", ""}, // past the opening quote
		{"${UNSET:?tell me}", nil, 4, "variable UNSET is not set: tell me", ""},
		{"${UNSET?}", nil, 4, "variable UNSET is not set: required", ""},
		{"${EMPTY:?}", map[string]string{"EMPTY": ""}, 4, "variable EMPTY is not set: required", ""},
		{"x ${OPEN", nil, 6, "unterminated variable reference: missing '}'", "write ${NAME}, or $$ for a literal $"},
		{"${}", nil, 4, `invalid variable name ""`, "names are letters"},
		{"${9LIVES}", nil, 4, `invalid variable name "9LIVES"`, ""},
		{"${A-B-C}", nil, -1, "", ""}, // a default may contain "-": valid, expands to "B-C"
		{"${A:x}", nil, 4, "invalid variable reference ${A:x}", "${NAME:-default}"},
		{"${A B}", nil, 4, `invalid variable name "A B"`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			n, ip := expandValue(t, tc.text, tc.env)
			if tc.col < 0 {
				if len(ip.diags) != 0 || n.Value != "B-C" {
					t.Fatalf("got %q:%s", n.Value, dump(ip.diags))
				}
				return
			}
			if len(ip.diags) != 1 {
				t.Fatalf("want one diagnostic, got:%s", dump(ip.diags))
			}
			d := ip.diags[0]
			if d.Line != 1 || d.Column != tc.col || d.Severity != diag.Error || d.Message != tc.msg {
				t.Errorf("got %d:%d %s %q, want 1:%d error %q", d.Line, d.Column, d.Severity, d.Message, tc.col, tc.msg)
			}
			if !strings.Contains(d.Hint, tc.hint) {
				t.Errorf("hint %q does not contain %q", d.Hint, tc.hint)
			}
			if !ip.failed[n] {
				t.Errorf("the node is not marked as failed")
			}
		})
	}
}

// Only values read from the environment are secrets; defaults written in
// the file are not, and neither are empty values.
func TestInterpolationRecordsSecrets(t *testing.T) {
	_, ip := expandValue(t, "${A}/${B:-default}/${C:-x}/${E}", map[string]string{"A": "alpha", "C": "gamma", "E": ""})
	if want := []string{"alpha", "gamma"}; !slices.Equal(ip.secrets, want) {
		t.Errorf("secrets = %q, want %q", ip.secrets, want)
	}
}

// Keys are names, not values: they are never expanded.
func TestInterpolationLeavesKeys(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("${K}: ${V}\n"), &doc); err != nil {
		t.Fatal(err)
	}
	ip := &interpolation{lookup: envLookup(map[string]string{"K": "key", "V": "val"})}
	ip.expandNode(&doc)
	m := doc.Content[0]
	if m.Content[0].Value != "${K}" || m.Content[1].Value != "val" {
		t.Errorf("got %q: %q", m.Content[0].Value, m.Content[1].Value)
	}
}

// Through the loader: a re-typed value decodes as its type, and a quoted
// one is a string that the schema rejects where a number belongs.
func TestLoadInterpolatedTypes(t *testing.T) {
	r := load(t, withTargets("targets:\n  - name: ${NAME:-a}\n    kind: sink\n    site_id: ${SITE:-4}\n    weight: ${W}\n    enabled: ${ON:-true}\n"),
		map[string]string{"W": "2.5"})
	if !r.Valid() {
		t.Fatalf("invalid:%s", dump(r.Diags))
	}
	tg := r.Scenario.Targets[0]
	if tg.Name != "a" || tg.SiteID != 4 || *tg.Weight != 2.5 || !tg.IsEnabled() {
		t.Errorf("target = %+v", tg)
	}
}

// Each ${VAR} of a block scalar is placed on its own line and column.
func TestInterpolationPositionInBlock(t *testing.T) {
	src := withTail("traffic:\n  funnels:\n    - name: f\n      description: |-\n        one ${A}\n\n        three ${B} ${C}\n      probability: 0.1\n      steps: [{type: pageview}]\n")
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"B": "b", "C": "c"}, "16:13 variable A is not set"},
		{map[string]string{"A": "a", "B": "b"}, "18:20 variable C is not set"},
	} {
		r := load(t, src, tc.env)
		var got []string
		for _, d := range r.Diags {
			got = append(got, strconv.Itoa(d.Line)+":"+strconv.Itoa(d.Column)+" "+d.Message)
		}
		if len(got) != 1 || got[0] != tc.want {
			t.Errorf("got %q, want [%q]", got, tc.want)
		}
	}
}

// TestInterpolationNestedDefaults: ${A:-${B:-x}} is A when set, else B
// when set, else x; an error inside a default is at its own $, and the
// value read through a default is a secret like any other.
func TestInterpolationNestedDefaults(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"A": "from-a", "B": "from-b"}, "from-a"},
		{map[string]string{"B": "from-b"}, "from-b"},
		{nil, "x"},
	} {
		n, ip := expandValue(t, "${A:-${B:-x}}", c.env)
		if len(ip.diags) != 0 || n.Value != c.want {
			t.Errorf("%v: got %q%s", c.env, n.Value, dump(ip.diags))
		}
		if c.want != "x" && !slices.Contains(ip.secrets, c.want) {
			t.Errorf("%v: %q is not a secret: %q", c.env, c.want, ip.secrets)
		}
	}
	// "v: " is 3 columns, the quote one more: the inner ${B} is at byte 5
	// of the value, column 10.
	_, ip := expandValue(t, `"${A:-${B}}"`, nil)
	if len(ip.diags) != 1 || ip.diags[0].Column != 10 || ip.diags[0].Message != "variable B is not set" {
		t.Errorf("nested error:%s", dump(ip.diags))
	}
}
