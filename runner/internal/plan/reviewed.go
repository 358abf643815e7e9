package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// MaxDocumentSize bounds what ReadDocument reads: plans are small, and a
// bound keeps a mistaken path from eating memory.
const MaxDocumentSize = 16 << 20

// Reviewed is a plan document read back from a file (plan --out), for
// apply --plan to run.
type Reviewed struct {
	Doc       map[string]any
	Digest    string
	File      string // the scenario file the plan was made from
	Seed      uint64
	Overrides Overrides
}

// ReadDocument decodes a plan document. check validates it against the
// plan schema (schema.ValidatePlan, which this package may not import)
// and returns the first problem, or "" for a valid document.
func ReadDocument(r io.Reader, check func(doc any) string) (*Reviewed, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDocumentSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxDocumentSize {
		return nil, fmt.Errorf("file is larger than %d MiB", MaxDocumentSize>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("not a JSON plan: %v", err)
	}
	if dec.More() {
		return nil, errors.New("not a JSON plan: more than one JSON value")
	}
	doc, ok := tree.(map[string]any)
	if !ok {
		return nil, errors.New("not a plan: the document is not a JSON object")
	}
	if v, k := doc["apiVersion"], doc["kind"]; v != APIVersion || k != Kind {
		return nil, fmt.Errorf("not a plan: apiVersion %v and kind %v, want %s and %s (write one with plan --out)", orNone(v), orNone(k), APIVersion, Kind)
	}
	if msg := check(tree); msg != "" {
		return nil, fmt.Errorf("not a valid plan: %s", msg)
	}
	rv := &Reviewed{Doc: doc}
	rv.Digest, _ = doc["digest"].(string)
	rv.File, _ = doc["file"].(string)
	if n, ok := doc["seed"].(json.Number); ok {
		rv.Seed, _ = strconv.ParseUint(string(n), 10, 64)
	}
	if o, ok := doc["overrides"]; ok {
		raw, _ := json.Marshal(o)
		if err := json.Unmarshal(raw, &rv.Overrides); err != nil {
			return nil, fmt.Errorf("not a valid plan: overrides: %v", err)
		}
	}
	return rv, nil
}

func orNone(v any) string {
	if v == nil {
		return "(none)"
	}
	return fmt.Sprintf("%q", fmt.Sprint(v))
}

// Change is one field that differs between a reviewed plan and the plan
// the scenario compiles to now.
type Change struct {
	Path     string // JSON path in the plan document: run.rate, targets[0].share
	Reviewed string // the value in the reviewed plan, "(none)" when absent
	Now      string
}

func (c Change) String() string {
	return fmt.Sprintf("%s: %s in the plan, %s now", c.Path, c.Reviewed, c.Now)
}

// notCompared are the fields of a plan that say where it was made from
// rather than what it runs: a plan may be applied from another directory,
// or after a comment in the scenario moved its lines.
var notCompared = map[string]bool{"file": true, "file_digest": true, "line": true, "column": true}

// Compare lists every field that differs between the reviewed document
// and now's, sorted by path. Fields of the scenario's copy are named as in
// the scenario under "scenario." (scenario.run.rate) and come first, as
// the causes; compiled ones follow, by their place in the plan
// (targets[0].share). The digest is named only when nothing else differs.
func Compare(reviewed, now map[string]any) []Change {
	var out []Change
	diffValue(&out, "", reviewed, now)
	sort.SliceStable(out, func(i, j int) bool {
		si, sj := strings.HasPrefix(out[i].Path, "scenario."), strings.HasPrefix(out[j].Path, "scenario.")
		if si != sj {
			return si
		}
		return out[i].Path < out[j].Path
	})
	var changes []Change
	for _, c := range out {
		if c.Path != "digest" {
			changes = append(changes, c)
		}
	}
	if len(changes) == 0 && reviewed["digest"] != now["digest"] {
		changes = append(changes, Change{Path: "digest", Reviewed: show(reviewed["digest"]), Now: show(now["digest"])})
	}
	return changes
}

func diffValue(out *[]Change, path string, a, b any) {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		for k := range keys {
			if notCompared[k] && !inScenario(path) {
				continue
			}
			diffValue(out, join(path, k), am[k], bm[k])
		}
		return
	}
	as, aok := a.([]any)
	bs, bok := b.([]any)
	if aok && bok && len(as) == len(bs) {
		for i := range as {
			diffValue(out, fmt.Sprintf("%s[%d]", path, i), as[i], bs[i])
		}
		return
	}
	if !sameValue(a, b) {
		*out = append(*out, Change{Path: path, Reviewed: show(a), Now: show(b)})
	}
}

// sameValue compares leaves, numbers by value (1.0 and 1 are the same).
func sameValue(a, b any) bool {
	an, aok := a.(json.Number)
	bn, bok := b.(json.Number)
	if aok && bok {
		af, err1 := an.Float64()
		bf, err2 := bn.Float64()
		if err1 == nil && err2 == nil {
			return af == bf
		}
	}
	return reflect.DeepEqual(a, b)
}

// inScenario reports whether path is in the scenario's copy.
func inScenario(path string) bool { return path == "scenario" || strings.HasPrefix(path, "scenario.") }

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// show renders a value of a change in one line: strings as they are,
// objects and lists as compact JSON, (none) for an absent field.
func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "(none)"
	case string:
		return x
	case json.Number:
		return string(x)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	const limit = 120
	if len(raw) > limit {
		return string(raw[:limit]) + "…"
	}
	return string(raw)
}
