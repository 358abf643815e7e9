package schema

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// leaves converts one leaf error into violations: one, or one per property
// for required and additionalProperties errors.
func (c *converter) leaves(e *jsonschema.ValidationError) []leaf {
	ptr := pointer(e.InstanceLocation)
	one := func(k Kind, msg string) []leaf {
		return []leaf{{Violation: Violation{Pointer: ptr, Kind: k, Message: msg}}}
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		msg := typeMessage(k.Want, k.Got)
		if len(k.Want) == 1 && k.Want[0] == "integer" && k.Got == "number" {
			if s, ok := safeValue(ptr, c.value(e.InstanceLocation)); ok {
				msg = "expected integer, got " + s
			}
		}
		return []leaf{{Violation: Violation{Pointer: ptr, Kind: KindType, Message: msg}, wants: k.Want, got: k.Got}}
	case *kind.InvalidJsonValue:
		if f, ok := k.Value.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			return one(KindType, "expected a finite number, got "+strconv.FormatFloat(f, 'g', -1, 64))
		}
		return one(KindType, fmt.Sprintf("unsupported value of Go type %T", k.Value))
	case *kind.Const:
		return one(KindConst, "must be "+display(k.Want)+gotSuffix(ptr, k.Got))
	case *kind.Enum:
		if len(k.Want) == 1 {
			return one(KindEnum, "must be "+display(k.Want[0])+gotSuffix(ptr, k.Got))
		}
		vals := make([]string, len(k.Want))
		for i, w := range k.Want {
			vals[i] = fmt.Sprint(w)
		}
		return one(KindEnum, "must be one of: "+strings.Join(vals, ", ")+gotSuffix(ptr, k.Got))
	case *kind.Minimum:
		return one(KindRange, "must be at least "+formatRat(k.Want)+gotSuffix(ptr, k.Got))
	case *kind.Maximum:
		return one(KindRange, "must be at most "+formatRat(k.Want)+gotSuffix(ptr, k.Got))
	case *kind.ExclusiveMinimum:
		return one(KindRange, "must be greater than "+formatRat(k.Want)+gotSuffix(ptr, k.Got))
	case *kind.ExclusiveMaximum:
		return one(KindRange, "must be less than "+formatRat(k.Want)+gotSuffix(ptr, k.Got))
	case *kind.MultipleOf:
		return one(KindRange, "must be a multiple of "+formatRat(k.Want)+gotSuffix(ptr, k.Got))
	case *kind.Required:
		return c.required(ptr, k.Missing)
	case *kind.AdditionalProperties:
		return c.unknownFields(ptr, e.SchemaURL, k.Properties)
	case *kind.Pattern:
		return one(KindPattern, "must match "+k.Want+gotSuffix(ptr, k.Got))
	case *kind.Format:
		return one(KindFormat, "must be a valid "+k.Want+gotSuffix(ptr, k.Got))
	case *kind.MinLength:
		if k.Want == 1 {
			return one(KindLength, "must not be empty")
		}
		return one(KindLength, fmt.Sprintf("must be at least %d characters long", k.Want))
	case *kind.MaxLength:
		return one(KindLength, fmt.Sprintf("must be at most %d characters long", k.Want))
	case *kind.MinItems:
		return one(KindItems, c.itemsMessage(e.SchemaURL, "at least", k.Want, k.Got))
	case *kind.MaxItems:
		return one(KindItems, c.itemsMessage(e.SchemaURL, "at most", k.Want, k.Got))
	case *kind.UniqueItems:
		return one(KindItems, fmt.Sprintf("must not repeat items (items %d and %d are equal)", k.Duplicates[0], k.Duplicates[1]))
	case *kind.MinProperties:
		return one(KindLength, c.propertiesMessage(e.SchemaURL, "at least", k.Want))
	case *kind.MaxProperties:
		return one(KindLength, c.propertiesMessage(e.SchemaURL, "at most", k.Want))
	case *kind.PropertyNames:
		l := one(KindPattern, "invalid property name")
		l[0].Field = k.Property
		return l
	case *kind.FalseSchema:
		return one(KindOther, "is not allowed here")
	case *kind.Not:
		return one(KindOther, "must not match its forbidden form")
	}
	return one(KindOther, "is invalid ("+strings.Join(e.ErrorKind.KeywordPath(), "/")+")")
}

func (c *converter) required(ptr string, missing []string) []leaf {
	out := make([]leaf, 0, len(missing))
	for _, name := range slices.Sorted(slices.Values(missing)) {
		out = append(out, leaf{Violation: Violation{
			Pointer: ptr, Kind: KindRequired, Field: name,
			Message: fmt.Sprintf("missing required field %q", name),
		}})
	}
	return out
}

func (c *converter) unknownFields(ptr, schemaURL string, props []string) []leaf {
	allowed := propertyNames(schemaAt(c.raw, schemaURL))
	out := make([]leaf, 0, len(props))
	for _, name := range slices.Sorted(slices.Values(props)) {
		msg := fmt.Sprintf("unknown field %q", name)
		if utf8.RuneCountInString(name) > maxQuoted {
			msg = fmt.Sprintf("unknown field (a name of %d characters)", utf8.RuneCountInString(name))
		}
		out = append(out, leaf{Violation: Violation{
			Pointer: ptr, Kind: KindUnknownField, Field: name,
			Message: msg, Suggest: Suggest(name, allowed),
		}})
	}
	return out
}

// itemsMessage says "exactly N" when the schema pins the length.
func (c *converter) itemsMessage(schemaURL, bound string, want, got int) string {
	s := schemaAt(c.raw, schemaURL)
	if lo, hi := intKeyword(s, "minItems"), intKeyword(s, "maxItems"); lo >= 0 && lo == hi {
		bound = "exactly"
	}
	return fmt.Sprintf("must have %s %d %s (got %d)", bound, want, plural(want, "item", "items"), got)
}

// propertiesMessage names the alternatives of a pick-one object such as
// {file} or {list}.
func (c *converter) propertiesMessage(schemaURL, bound string, want int) string {
	s := schemaAt(c.raw, schemaURL)
	names := propertyNames(s)
	if lo, hi := intKeyword(s, "minProperties"), intKeyword(s, "maxProperties"); lo == 1 && hi == 1 && len(names) > 0 {
		return "must set exactly one of: " + strings.Join(names, ", ")
	}
	return fmt.Sprintf("must have %s %d %s", bound, want, plural(want, "field", "fields"))
}

// value returns the document value at an instance location, or nil.
func (c *converter) value(tokens []string) any {
	v := c.doc
	for _, t := range tokens {
		switch x := v.(type) {
		case map[string]any:
			v = x[t]
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func typeMessage(wants []string, got string) string {
	return "expected " + joinOr(wants) + ", got " + got
}

func joinOr(words []string) string {
	switch len(words) {
	case 0:
		return "nothing"
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// maxQuoted is the longest string value a message may quote: longer ones
// could be tokens or other secrets pasted into the wrong field.
const maxQuoted = 40

// secretPointer reports whether the value at ptr may be a secret: a
// token_auth or anything under headers (Authorization, cookies, ...).
func secretPointer(ptr string) bool {
	return strings.HasSuffix(ptr, "/token_auth") || strings.Contains(ptr+"/", "/headers/")
}

// safeValue renders an instance value for a message, or reports false when
// it must not be shown (secret location, long string, composite value).
func safeValue(ptr string, v any) (string, bool) {
	if secretPointer(ptr) {
		return "", false
	}
	switch v := v.(type) {
	case string:
		if utf8.RuneCountInString(v) > maxQuoted {
			return "", false
		}
		return strconv.Quote(v), true
	case nil:
		return "null", true
	case bool:
		return strconv.FormatBool(v), true
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64), true
	case float32, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, json.Number:
		return fmt.Sprint(v), true
	case *big.Rat:
		if v == nil {
			return "", false
		}
		return formatRat(v), true
	}
	return "", false
}

func gotSuffix(ptr string, v any) string {
	if s, ok := safeValue(ptr, v); ok {
		return " (got " + s + ")"
	}
	return ""
}

// display renders a schema constant (never instance data).
func display(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}

func formatRat(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	if r.IsInt() && r.Num().BitLen() <= 64 {
		return r.Num().String() // exact: 9223372036854775807, not 9.223372036854776e+18
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'g', -1, 64)
}
