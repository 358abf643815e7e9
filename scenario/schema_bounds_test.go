package scenario_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/schema"
)

// bound is one numeric bound of the scenario schema and the instance
// pointer it applies to ("/targets/0/weight").
type bound struct {
	ptr     string // instance pointer
	at      string // schema location, for messages
	keyword string // minimum, maximum, exclusiveMinimum, exclusiveMaximum
	value   float64
	raw     json.Number
	integer bool
}

// schemaBounds walks the scenario schema from its root and returns every
// numeric bound with the instance pointer it constrains: properties/K adds
// /K, items adds /0, additionalProperties adds a key, $ref, allOf, oneOf,
// anyOf and if/then/else stay at the same instance.
func schemaBounds(t *testing.T) []bound {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(schema.ScenarioV1()))
	dec.UseNumber()
	var root map[string]any
	if err := dec.Decode(&root); err != nil {
		t.Fatal(err)
	}
	defs, _ := root["$defs"].(map[string]any)
	var out []bound
	var walk func(node any, at, ptr string, depth int)
	walk = func(node any, at, ptr string, depth int) {
		s, ok := node.(map[string]any)
		if !ok || depth > 20 {
			return
		}
		if ref, ok := s["$ref"].(string); ok {
			name := strings.TrimPrefix(ref, "#/$defs/")
			if def, ok := defs[name]; ok {
				walk(def, ref, ptr, depth+1)
			} else {
				t.Fatalf("%s: unresolved $ref %s", at, ref)
			}
		}
		typ, _ := s["type"].(string)
		for _, k := range []string{"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"} {
			if n, ok := s[k].(json.Number); ok {
				v, err := n.Float64()
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, bound{ptr: ptr, at: at + "/" + k, keyword: k, value: v, raw: n, integer: typ == "integer"})
			}
		}
		if props, ok := s["properties"].(map[string]any); ok {
			for k, sub := range props {
				walk(sub, at+"/properties/"+k, ptr+"/"+k, depth+1)
			}
		}
		if sub, ok := s["items"]; ok {
			walk(sub, at+"/items", ptr+"/0", depth+1)
		}
		if sub, ok := s["additionalProperties"].(map[string]any); ok {
			walk(sub, at+"/additionalProperties", ptr+"/*", depth+1)
		}
		for _, k := range []string{"allOf", "oneOf", "anyOf"} {
			list, _ := s[k].([]any)
			for i, sub := range list {
				walk(sub, fmt.Sprintf("%s/%s/%d", at, k, i), ptr, depth+1)
			}
		}
		for _, k := range []string{"if", "then", "else"} {
			walk(s[k], at+"/"+k, ptr, depth+1)
		}
	}
	walk(root, "#", "", 0)
	return out
}

// boundsBase is the scenario each bound is tried in: the reference
// scenario (every section of the format), with its tokens' defaults
// written out and a funnel of every step type, so that each pointer of the
// schema exists or can be made under an existing parent.
func boundsBase(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile("../examples/reference.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data = regexp.MustCompile(`\$\{[A-Za-z_][A-Za-z0-9_]*:-([^}]*)\}`).ReplaceAll(data, []byte("$1"))
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return datesAsWritten(doc).(map[string]any)
}

// datesAsWritten turns the timestamps yaml.v3 made of "2026-10-01" back
// into the date strings the scenario wrote.
func datesAsWritten(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = datesAsWritten(e)
		}
	case []any:
		for i, e := range x {
			x[i] = datesAsWritten(e)
		}
	case time.Time:
		return x.Format(time.DateOnly)
	}
	return v
}

// justInside and justOutside are the nearest values on either side of a
// bound: 1 apart for integers, one millionth (relative, at least 1e-6)
// for numbers.
func (b bound) step() float64 {
	if b.integer {
		return 1
	}
	return math.Max(math.Abs(b.value)*1e-6, 1e-6)
}

func (b bound) justInside() (any, bool) {
	switch b.keyword {
	case "exclusiveMinimum":
		return b.shift(+1)
	case "exclusiveMaximum":
		return b.shift(-1)
	}
	return b.shift(0)
}

func (b bound) justOutside() (any, bool) {
	switch b.keyword {
	case "minimum":
		return b.shift(-1)
	case "maximum":
		return b.shift(+1)
	}
	return b.shift(0)
}

// shift returns the bound moved by dir steps, as an int64 for integers;
// false when that is past what an int64 holds (the bounds of int64 fields
// are the type's own limits: nothing lies beyond them to try).
func (b bound) shift(dir int) (any, bool) {
	if !b.integer {
		return b.value + float64(dir)*b.step(), true
	}
	n, err := strconv.ParseInt(string(b.raw), 10, 64)
	if err != nil {
		return nil, false
	}
	if (dir > 0 && n == math.MaxInt64) || (dir < 0 && n == math.MinInt64) {
		return nil, false
	}
	return n + int64(dir), true
}

// withValue returns a copy of doc with v at ptr ("*" picks an existing key
// or "x"), creating missing objects and arrays on the way. The other end
// of a {min, max} range moves with it, so that the range stays ordered.
func withValue(doc map[string]any, ptr string, val any) (map[string]any, string) {
	out := deepCopy(doc).(map[string]any)
	for prefix, fix := range fixUps {
		if strings.HasPrefix(ptr, prefix) {
			fix(out, ptr)
		}
	}
	toks := strings.Split(ptr, "/")[1:]
	var cur any = out
	var real []string
	for i, tok := range toks {
		last := i == len(toks)-1
		var next any
		if last {
			next = val
		}
		switch c := cur.(type) {
		case map[string]any:
			if tok == "*" {
				tok = mapKeys["/"+strings.Join(append(real, "*"), "/")]
				if tok == "" {
					tok = "x"
				}
			}
			if !last {
				// An existing container is kept; a scalar (geo: true) or a
				// missing value becomes the container the pointer needs.
				existing := c[tok]
				_, isMap := existing.(map[string]any)
				_, isList := existing.([]any)
				switch {
				case toks[i+1] == "0" && isList, toks[i+1] != "0" && isMap:
					next = existing
				case toks[i+1] == "0":
					next = []any{}
				default:
					next = map[string]any{}
				}
			}
			c[tok] = next
			if last && (tok == "min" || tok == "max") {
				// Both ends of a range, so that it stays ordered and complete.
				c["min"], c["max"] = val, val
			}
		case []any:
			n, _ := strconv.Atoi(tok)
			if n >= len(c) {
				if !last {
					next = map[string]any{}
					if toks[i+1] == "0" {
						next = []any{}
					}
				}
				c = append(c, next)
				setParent(out, real, c)
			} else if last {
				c[n] = next
			} else {
				next = c[n]
			}
		}
		real = append(real, tok)
		cur = next
	}
	return out, "/" + strings.Join(real, "/")
}

// mapKeys are the keys that stand for "any key" of a map whose keys the
// semantic checks restrict.
var mapKeys = map[string]string{"/traffic/features/geo/countries/*": "se"}

// fixUps make room for a value whose siblings would otherwise refuse it
// for a reason that is not its bound.
var fixUps = map[string]func(doc map[string]any, ptr string){
	// A relative backfill window excludes the reference's absolute one.
	"/run/backfill/last_days": dropKeys("/run/backfill", "from", "to"),
	"/run/backfill/offset_days": func(doc map[string]any, ptr string) {
		dropKeys("/run/backfill", "from", "to")(doc, ptr)
		backfillOf(doc)["last_days"] = 7 // offset_days shifts a relative window
	},
	// Exactly 24 hourly weights.
	"/run/backfill/hourly_weights/": func(doc map[string]any, _ string) {
		w := make([]any, 24)
		for i := range w {
			w[i] = 1
		}
		backfillOf(doc)["hourly_weights"] = w
	},
	// The object form of visits_per_day needs both ends.
	"/run/backfill/visits_per_day/": func(doc map[string]any, _ string) {
		backfillOf(doc)["visits_per_day"] = map[string]any{"min": 100, "max": 200}
	},
	// Source shares add up to at most 1: the others make room.
	"/traffic/sources/": func(doc map[string]any, ptr string) {
		sources := doc["traffic"].(map[string]any)["sources"].(map[string]any)
		for k := range sources {
			sources[k] = 0
		}
	},
}

func backfillOf(doc map[string]any) map[string]any {
	return doc["run"].(map[string]any)["backfill"].(map[string]any)
}

func dropKeys(parent string, keys ...string) func(map[string]any, string) {
	return func(doc map[string]any, _ string) {
		var cur any = doc
		for _, tok := range strings.Split(parent, "/")[1:] {
			cur = cur.(map[string]any)[tok]
		}
		for _, k := range keys {
			delete(cur.(map[string]any), k)
		}
	}
}

// setParent stores a grown array back at path.
func setParent(doc map[string]any, path []string, v []any) {
	var cur any = doc
	for i, tok := range path {
		last := i == len(path)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				c[tok] = v
				return
			}
			cur = c[tok]
		case []any:
			n, _ := strconv.Atoi(tok)
			if last {
				c[n] = v
				return
			}
			cur = c[n]
		}
	}
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = deepCopy(e)
		}
		return s
	}
	return v
}

// load validates doc as `trafficinator validate` does (syntax, schema,
// semantic checks) and returns its error diagnostics.
func load(t *testing.T, doc map[string]any) []scenario.Diagnostic {
	t.Helper()
	data, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	res := scenario.Load("bounds.yaml", data, scenario.Options{Lookup: func(string) (string, bool) { return "", false }})
	var errs []scenario.Diagnostic
	for _, d := range res.Diags {
		if d.Severity == scenario.SeverityError {
			errs = append(errs, d)
		}
	}
	return errs
}

// The schema agrees with validate on every numeric bound (issue 16: weight
// had minimum 0 while validate wanted more than 0). For each bound of the
// schema, the value just inside is accepted by both the schema and
// validate's semantic checks, and the value just outside is rejected by
// both the schema (at that pointer) and validate. Editors, which see only
// the schema, thus underline exactly what validate refuses.
func TestSchemaBoundsAgreeWithValidate(t *testing.T) {
	base := boundsBase(t)
	if errs := load(t, base); len(errs) > 0 {
		t.Fatalf("the base scenario is invalid: %v", errs)
	}
	bounds := schemaBounds(t)
	sort.Slice(bounds, func(i, j int) bool { return bounds[i].at < bounds[j].at })
	if len(bounds) < 30 {
		t.Fatalf("only %d bounds found; the walk is broken", len(bounds))
	}
	weight := false
	for _, b := range bounds {
		weight = weight || (b.ptr == "/targets/0/weight" && b.keyword == "exclusiveMinimum" && b.value == 0)
	}
	if !weight {
		t.Errorf("the walk does not find weight's exclusiveMinimum 0")
	}
	checked := 0
	for _, b := range bounds {
		name := fmt.Sprintf("%s %s %v (%s)", b.ptr, b.keyword, b.value, b.at)
		inside, _ := b.justInside()
		in, ptr := withValue(base, b.ptr, inside)
		if vs := schema.ValidateScenario(jsonCompatible(t, in)); len(vs) > 0 {
			t.Errorf("%s: the schema refuses %v just inside the bound: %v", name, inside, vs)
			continue
		}
		if errs := load(t, in); len(errs) > 0 {
			t.Errorf("%s: %v just inside the bound is refused by validate: %v", name, inside, errs)
			continue
		}
		outside, ok := b.justOutside()
		if !ok {
			t.Logf("%s: the bound is the limit of int64; nothing beyond it to try", name)
			checked++
			continue
		}
		out, _ := withValue(base, b.ptr, outside)
		atPtr := false
		for _, v := range schema.ValidateScenario(jsonCompatible(t, out)) {
			atPtr = atPtr || v.Pointer == ptr
		}
		if !atPtr {
			t.Errorf("%s: the schema accepts %v at %s", name, outside, ptr)
		}
		if errs := load(t, out); len(errs) == 0 {
			t.Errorf("%s: validate accepts %v", name, outside)
		}
		checked++
	}
	t.Logf("%d bounds checked", checked)
}

// jsonCompatible converts a YAML document into the JSON types the schema
// validator takes (as the loader does: int64 for integers).
func jsonCompatible(t *testing.T, doc map[string]any) any {
	t.Helper()
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return numbers(v)
}

func numbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = numbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = numbers(e)
		}
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	}
	return v
}
