package schema_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/schema"
)

// Every error is reported, not just the first, in pointer order where
// numeric tokens compare as numbers.
func TestReportsEveryErrorSorted(t *testing.T) {
	doc := referenceDoc(t)
	targets := doc["targets"].([]any)
	for len(targets) < 11 {
		targets = append(targets, map[string]any{"name": fmt.Sprint("t", len(targets)), "kind": "sink", "site_id": int64(1)})
	}
	doc["targets"] = targets
	set(t, doc, "/targets/10/site_id", int64(0))
	set(t, doc, "/targets/2/site_id", int64(-1))
	set(t, doc, "/run/mode", "later")
	set(t, doc, "/traffic/features/geo", "on")
	set(t, doc, "/targets/0/zeta", true)
	set(t, doc, "/targets/0/alpha", true)
	set(t, doc, "/targets/0/wieght", int64(2))
	del(t, doc, "/policies/0/when")
	del(t, doc, "/policies/0/action")
	assertViolations(t, schema.ValidateScenario(doc), []wantV{
		{"/policies/0", schema.KindRequired, "action", `missing required field "action"`, ""},
		{"/policies/0", schema.KindRequired, "when", `missing required field "when"`, ""},
		{"/run/mode", schema.KindEnum, "", "must be one of: realtime, backfill", ""},
		{"/targets/0", schema.KindUnknownField, "alpha", `unknown field "alpha"`, ""},
		{"/targets/0", schema.KindUnknownField, "wieght", `unknown field "wieght"`, "weight"},
		{"/targets/0", schema.KindUnknownField, "zeta", `unknown field "zeta"`, ""},
		{"/targets/2/site_id", schema.KindRange, "", "must be at least 1 (got -1)", ""},
		{"/targets/10/site_id", schema.KindRange, "", "must be at least 1 (got 0)", ""},
		{"/traffic/features/geo", schema.KindType, "", "expected boolean or object, got string", ""},
	})
}

func TestNonObjectRoot(t *testing.T) {
	for _, tc := range []struct {
		doc any
		got string
	}{{nil, "null"}, {[]any{}, "array"}, {"scenario", "string"}, {int64(3), "number"}, {true, "boolean"}} {
		assertViolations(t, schema.ValidateScenario(tc.doc), []wantV{
			{"", schema.KindType, "", "expected object, got " + tc.got, ""},
		})
	}
}

// Values that could be secrets are never quoted: long strings anywhere.
func TestMessagesDoNotQuoteLongValues(t *testing.T) {
	secret := "0123456789abcdef0123456789abcdef-secret1" // 40 characters: still shown
	long := secret + "X"                                 // 41 characters: hidden
	doc := referenceDoc(t)
	set(t, doc, "/routing", long)
	set(t, doc, "/run/mode", secret)
	got := schema.ValidateScenario(doc)
	assertViolations(t, got, []wantV{
		{"/routing", schema.KindEnum, "", "must be one of: weighted, round-robin, random", ""},
		{"/run/mode", schema.KindEnum, "", `(got "` + secret + `")`, ""},
	})
	if strings.Contains(got[0].Message, "got") {
		t.Fatalf("41-character value quoted: %q", got[0].Message)
	}
}

// The document's token values never reach a message, whatever else is wrong.
func TestTokensNeverInMessages(t *testing.T) {
	doc := referenceDoc(t)
	set(t, doc, "/targets/2/headers/Authorization", int64(7))
	set(t, doc, "/targets/0/bogus", "x")
	for _, v := range schema.ValidateScenario(doc) {
		for _, tok := range []string{"0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"} {
			if strings.Contains(v.Message, tok) || strings.Contains(v.Pointer, tok) {
				t.Fatalf("token leaked: %+v", v)
			}
		}
	}
}

// NaN and ±Inf are not JSON numbers; huge numbers and deep nesting are
// legal JSON. None of them may panic, and each gets a clear violation.
func TestHostileValues(t *testing.T) {
	doc := referenceDoc(t)
	set(t, doc, "/run/concurrency", math.NaN())
	set(t, doc, "/targets/0/weight", math.Inf(1))
	set(t, doc, "/traffic/features/outlinks", math.Inf(-1))
	set(t, doc, "/targets/1/site_id", int64(math.MaxInt32))
	set(t, doc, "/targets/2/site_id", 1e308)
	set(t, doc, "/run/seed", uint64(math.MaxUint64))
	set(t, doc, "/run/max_visits", -1e308)
	deep := any("bottom")
	for i := 0; i < 100000; i++ {
		deep = []any{map[string]any{"k": deep}}
	}
	set(t, doc, "/metadata/labels/deep", deep)
	set(t, doc, "/traffic/deep", deep)
	assertViolations(t, schema.ValidateScenario(doc), []wantV{
		{"/metadata/labels/deep", schema.KindType, "", "expected string, got array", ""},
		{"/run/concurrency", schema.KindType, "", "expected a finite number, got NaN", ""},
		{"/run/max_visits", schema.KindRange, "", "must be at least 0 (got -1e+308)", ""},
		{"/run/seed", schema.KindRange, "", "must be at most 9223372036854775807 (got 18446744073709551615)", ""},
		{"/targets/0/weight", schema.KindType, "", "expected a finite number, got +Inf", ""},
		{"/targets/2/site_id", schema.KindRange, "", "must be at most 2147483647 (got 1e+308)", ""},
		{"/traffic", schema.KindUnknownField, "deep", `unknown field "deep"`, ""},
		{"/traffic/features/outlinks", schema.KindType, "", "expected a finite number, got -Inf", ""},
	})
}

func TestUnsupportedGoValue(t *testing.T) {
	doc := referenceDoc(t)
	set(t, doc, "/metadata/labels/team", struct{}{})
	set(t, doc, "/targets/0/site_id", map[any]any{1: 2})
	assertViolations(t, schema.ValidateScenario(doc), []wantV{
		{"/metadata/labels/team", schema.KindType, "", "unsupported value of Go type struct {}", ""},
		{"/targets/0/site_id", schema.KindType, "", "unsupported value of Go type map[interface {}]interface {}", ""},
	})
}

// The compiled schema is shared; concurrent validations must not race
// (run with -race).
func TestConcurrentUse(t *testing.T) {
	done := make(chan []schema.Violation)
	for i := range 8 {
		doc := referenceDoc(t)
		if i%2 == 1 {
			set(t, doc, "/run/mode", "live")
		}
		go func() { done <- schema.ValidateScenario(doc) }()
	}
	for range 8 {
		got := <-done
		if len(got) > 1 || (len(got) == 1 && got[0].Pointer != "/run/mode") {
			t.Fatalf("unexpected %+v", got)
		}
	}
}
