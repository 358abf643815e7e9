package policy

import (
	"sort"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// Info is what an expression reads, found by walking its syntax tree.
type Info struct {
	// Vars are the variables the expression reads, sorted, written as
	// expressions themselves (error_rate, window("1m").p95_ms,
	// error_rate_over("5m")); reports show their values when the policy
	// fires.
	Vars []string
	// Spans are the window spans it asks for; the runner keeps history for
	// the longest.
	Spans []time.Duration
	// Sampled is true when it reads a figure that has no value before the
	// first sample: error_rate, a latency percentile, or a window.
	Sampled bool
	// EndOnly is true when it reads a variable of EndOnly (verification):
	// it is evaluated once verification is done, never during the run.
	EndOnly bool
}

// sampledVars have no value until a request has been answered.
var sampledVars = map[string]bool{"error_rate": true, "p50_ms": true, "p95_ms": true, "p99_ms": true}

// Analyze parses when (which must already compile) and reports what it reads.
func Analyze(when string) Info {
	if checkLimits(when) != nil {
		return Info{}
	}
	tree, err := parser.Parse(when)
	if err != nil {
		return Info{}
	}
	v := &infoVisitor{vars: map[string]bool{}, read: map[string]bool{}}
	ast.Walk(&tree.Node, v)
	info := Info{Spans: v.spans, Sampled: v.sampled}
	for name := range v.vars {
		if v.read[name] {
			continue // window("1m") read through window("1m").error_rate
		}
		info.Vars = append(info.Vars, name)
		info.EndOnly = info.EndOnly || EndOnly[name]
	}
	sort.Strings(info.Vars)
	return info
}

type infoVisitor struct {
	vars    map[string]bool
	read    map[string]bool // window calls read through a member
	spans   []time.Duration
	sampled bool
}

func (v *infoVisitor) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.MemberNode:
		// Children are visited first, so the window call is already known.
		call, ok := n.Node.(*ast.CallNode)
		prop, isName := n.Property.(*ast.StringNode)
		if !ok || !isName {
			return
		}
		if name := windowCall(call); name != "" && v.vars[name] {
			v.read[name] = true
			v.vars[name+"."+prop.Value] = true
		}
	case *ast.IdentifierNode:
		if windowFuncs[n.Value] {
			return
		}
		if isVariable(n.Value) {
			v.vars[n.Value] = true
			v.sampled = v.sampled || sampledVars[n.Value]
		}
	case *ast.CallNode:
		if name := windowCall(n); name != "" {
			d, _ := ParseSpan(n.Arguments[0].(*ast.StringNode).Value)
			v.spans = append(v.spans, d)
			v.sampled = true
			v.vars[name] = true
		}
	}
}

// windowCall returns the text of a window function call with a valid
// literal span, such as window("1m"), or "".
func windowCall(n *ast.CallNode) string {
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok || !windowFuncs[id.Value] || len(n.Arguments) != 1 {
		return ""
	}
	s, ok := n.Arguments[0].(*ast.StringNode)
	if !ok {
		return ""
	}
	if _, err := ParseSpan(s.Value); err != nil {
		return ""
	}
	return id.Value + "(\"" + s.Value + "\")"
}

func isVariable(name string) bool {
	for _, v := range Variables {
		if v == name {
			return true
		}
	}
	return false
}
