// Package policy defines the typed environment that failure-policy `when:`
// expressions are compiled and evaluated against. It lives beside the
// scenario format so that `validate` compiles expressions against exactly the
// variables and functions that the runner provides at run time.
package policy

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"github.com/trafficinator/trafficinator/schema"
)

// Stats are the figures of one scope (a target or the whole run) over some
// span: the whole run, or a sliding window.
type Stats struct {
	Requests  int64   `expr:"requests"`
	Hits      int64   `expr:"hits"`
	Visits    int64   `expr:"visits"`
	Errors    int64   `expr:"errors"` // rejected + failed + unknown
	ErrorRate float64 `expr:"error_rate"`
	Rejected  int64   `expr:"rejected"`
	Failed    int64   `expr:"failed"`
	Unknown   int64   `expr:"unknown"` // sent, no answer known
	Unsent    int64   `expr:"unsent"`  // hits of started visits never sent
	Dropped   int64   `expr:"dropped"` // visits never started
	// DroppedHits are the hits of the dropped visits.
	DroppedHits int64            `expr:"dropped_hits"`
	Retries     int64            `expr:"retries"`
	P50Ms       float64          `expr:"p50_ms"`
	P95Ms       float64          `expr:"p95_ms"`
	P99Ms       float64          `expr:"p99_ms"`
	Rate        float64          `expr:"rate"` // visits/s achieved
	Status      map[string]int64 `expr:"status"`
}

// Verification are the figures of delivery verification (docs/verify.md),
// which exist only once a run is over and Matomo was asked what it
// recorded: apply --verify and trafficinator verify fill them.
type Verification struct {
	RecordedRatio    float64 `expr:"recorded_ratio"` // visits recorded / expected
	ActionsRatio     float64 `expr:"actions_ratio"`
	OrdersRatio      float64 `expr:"orders_ratio"`
	RevenueRatio     float64 `expr:"revenue_ratio"`
	SampleMismatches int64   `expr:"sample_mismatches"` // sampled visits recorded otherwise
}

// EndOnly are the variables that exist only at the end of a run: a
// policy that reads one is evaluated once, after verification, and
// cannot have a for: duration.
var EndOnly = map[string]bool{
	"recorded_ratio": true, "actions_ratio": true, "orders_ratio": true, "revenue_ratio": true,
	"sample_mismatches": true,
}

// Env is what a `when:` expression sees. The runner fills it every second.
type Env struct {
	Stats
	Verification
	ElapsedS float64 `expr:"elapsed_s"`
	Target   string  `expr:"target"` // the target's name in target scope, "" in run scope
	// OptionalUnavailable is the number of optional targets that failed
	// the preflight and were left out of the run (the same in every scope).
	OptionalUnavailable int64 `expr:"optional_unavailable"`

	// Window returns the same figures over the last span, e.g. window("1m").
	Window func(span string) Stats `expr:"window"`
	// ErrorRateOver and P95Over are shorthands for window(span).error_rate
	// and window(span).p95_ms.
	ErrorRateOver func(span string) float64 `expr:"error_rate_over"`
	P95Over       func(span string) float64 `expr:"p95_ms_over"`
}

// MaxWindow is the longest span a window function accepts; the runner keeps
// this much history per target.
const MaxWindow = time.Hour

// windowFuncs are the functions whose first argument is a span.
var windowFuncs = map[string]bool{"window": true, "error_rate_over": true, "p95_ms_over": true}

// Error is a compile error with a 1-based line and column inside the
// expression text.
type Error struct {
	Line, Column int
	Message      string
}

func (e *Error) Error() string { return e.Message }

// Compile compiles a `when:` expression against Env and checks that it is a
// boolean and that every window span is a literal duration up to MaxWindow.
// Before anything else it checks the text against MaxLength and MaxDepth;
// after, it refuses an unguarded divisor and a literal range or repeat
// beyond MaxRange (checkStatic).
func Compile(when string) (*vm.Program, error) {
	if lerr := checkLimits(when); lerr != nil {
		return nil, lerr
	}
	var spanErr *Error
	prog, err := expr.Compile(when,
		expr.Env(Env{}),
		expr.AsBool(),
		expr.Patch(spanChecker{err: &spanErr}),
		// Constant folding would turn 10 % 0 into an error without a
		// position; checkStatic reports it at its column instead.
		expr.Optimize(false),
	)
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			return nil, &Error{Line: max(fe.Line, 1), Column: fe.Column + 1, Message: withSuggestion(fe.Message)}
		}
		return nil, &Error{Line: 1, Column: 1, Message: err.Error()}
	}
	if spanErr != nil {
		return nil, spanErr
	}
	tree, err := parser.Parse(when)
	if err != nil {
		return nil, &Error{Line: 1, Column: 1, Message: err.Error()}
	}
	if serr := checkStatic(when, tree.Node); serr != nil {
		return nil, serr
	}
	return prog, nil
}

// Variables lists the names an expression can use, for suggestions.
var Variables = []string{
	"requests", "hits", "visits", "errors", "error_rate", "rejected", "failed", "unknown",
	"unsent", "dropped", "dropped_hits",
	"retries", "p50_ms", "p95_ms", "p99_ms", "rate", "status", "elapsed_s", "target",
	"window", "error_rate_over", "p95_ms_over",
	"optional_unavailable",
	"recorded_ratio", "actions_ratio", "orders_ratio", "revenue_ratio", "sample_mismatches",
}

// withSuggestion adds "did you mean" to expr's "unknown name X" messages.
func withSuggestion(msg string) string {
	name, ok := strings.CutPrefix(msg, "unknown name ")
	if !ok {
		return msg
	}
	if s := schema.Suggest(name, Variables); s != "" {
		return msg + "; did you mean " + s + "?"
	}
	return msg
}

// ParseSpan reads a window span such as "30s" or "5m".
func ParseSpan(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("invalid window %q: use a duration such as 30s or 5m", s)
	}
	if d > MaxWindow {
		return 0, fmt.Errorf("window %q is longer than %s", s, MaxWindow)
	}
	return d, nil
}

// spanChecker visits calls of window functions and requires a literal,
// parseable span, so a typo such as window("1mn") fails at validate time.
type spanChecker struct{ err **Error }

func (c spanChecker) Visit(node *ast.Node) {
	call, ok := (*node).(*ast.CallNode)
	if !ok || *c.err != nil {
		return
	}
	id, ok := call.Callee.(*ast.IdentifierNode)
	if !ok || !windowFuncs[id.Value] || len(call.Arguments) != 1 {
		return
	}
	arg := call.Arguments[0]
	lit, ok := arg.(*ast.StringNode)
	loc := arg.Location()
	if !ok {
		*c.err = &Error{Line: 1, Column: loc.From + 1, Message: id.Value + "() needs a literal span such as \"1m\""}
		return
	}
	if _, err := ParseSpan(lit.Value); err != nil {
		*c.err = &Error{Line: 1, Column: loc.From + 1, Message: err.Error()}
	}
}
