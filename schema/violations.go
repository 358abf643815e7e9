package schema

import (
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// converter turns the tree of a jsonschema ValidationError into a flat list
// of violations, one per leaf cause, with oneOf/anyOf noise collapsed.
type converter struct {
	raw any // the schema as plain JSON, for allowed names and limits
	doc any // the validated document, for values the error kinds lack
}

// leaf is a violation plus what collapsing alternatives needs to know.
type leaf struct {
	Violation
	wants []string // type violations: the JSON types accepted here
	got   string   // type violations: the JSON type found
}

func (c *converter) collect(e *jsonschema.ValidationError) []leaf {
	switch k := e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.AllOf, *kind.Reference:
		var out []leaf
		for _, cause := range e.Causes {
			out = append(out, c.collect(cause)...)
		}
		return out
	case *kind.OneOf:
		if k.Subschemas != nil {
			return []leaf{c.other(e, "matches more than one of its allowed forms")}
		}
		return c.alternatives(e)
	case *kind.AnyOf:
		return c.alternatives(e)
	}
	return c.leaves(e)
}

// alternatives reports a failed oneOf/anyOf the way a reader thinks about
// it. When the value has none of the accepted types, that is one type
// violation listing them all ("expected boolean or object, got string").
// Otherwise the branches whose type did not match are noise: the violations
// come from the branch that matched the type (the deepest one if several).
func (c *converter) alternatives(e *jsonschema.ValidationError) []leaf {
	ptr := pointer(e.InstanceLocation)
	var mismatches, candidates [][]leaf
	for _, branch := range e.Causes {
		ls := c.collect(branch)
		if len(ls) == 0 {
			continue
		}
		if len(ls) == 1 && ls[0].Kind == KindType && ls[0].Pointer == ptr {
			mismatches = append(mismatches, ls)
		} else {
			candidates = append(candidates, ls)
		}
	}
	if len(candidates) == 0 {
		if len(mismatches) == 0 {
			return []leaf{c.other(e, "does not match any of its allowed forms")}
		}
		return []leaf{mergeTypes(mismatches)}
	}
	best := candidates[0]
	for _, ls := range candidates[1:] {
		if d, bd := maxDepth(ls), maxDepth(best); d > bd || (d == bd && len(ls) < len(best)) {
			best = ls
		}
	}
	return best
}

// mergeTypes joins the accepted types of branches that all failed on type.
func mergeTypes(mismatches [][]leaf) leaf {
	first := mismatches[0][0]
	var wants []string
	for _, ls := range mismatches {
		for _, w := range ls[0].wants {
			if !slices.Contains(wants, w) {
				wants = append(wants, w)
			}
		}
	}
	if len(wants) == 0 || first.got == "" {
		return first // e.g. NaN: not a JSON value, whatever the branch
	}
	first.wants = wants
	first.Message = typeMessage(wants, first.got)
	return first
}

func maxDepth(ls []leaf) int {
	d := 0
	for _, l := range ls {
		d = max(d, strings.Count(l.Pointer, "/"))
	}
	return d
}

func (c *converter) other(e *jsonschema.ValidationError, msg string) leaf {
	return leaf{Violation: Violation{Pointer: pointer(e.InstanceLocation), Kind: KindOther, Message: msg}}
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// pointer encodes instance location tokens as a JSON pointer (RFC 6901).
func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(pointerEscaper.Replace(t))
	}
	return b.String()
}

// finish deduplicates and sorts: by pointer (numeric tokens compared as
// numbers, so /targets/2 comes before /targets/10), then field, kind and
// message.
func finish(ls []leaf) []Violation {
	out := make([]Violation, 0, len(ls))
	seen := map[Violation]bool{}
	for _, l := range ls {
		if !seen[l.Violation] {
			seen[l.Violation] = true
			out = append(out, l.Violation)
		}
	}
	slices.SortFunc(out, func(a, b Violation) int {
		if c := comparePointers(a.Pointer, b.Pointer); c != 0 {
			return c
		}
		if c := strings.Compare(a.Field, b.Field); c != 0 {
			return c
		}
		if c := strings.Compare(string(a.Kind), string(b.Kind)); c != 0 {
			return c
		}
		return strings.Compare(a.Message, b.Message)
	})
	if len(out) == 0 {
		return nil
	}
	return out
}

func comparePointers(a, b string) int {
	at, bt := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(at) && i < len(bt); i++ {
		if at[i] == bt[i] {
			continue
		}
		ai, aerr := strconv.Atoi(at[i])
		bi, berr := strconv.Atoi(bt[i])
		if aerr == nil && berr == nil && ai != bi {
			if ai < bi {
				return -1
			}
			return 1
		}
		return strings.Compare(at[i], bt[i])
	}
	return len(at) - len(bt)
}
