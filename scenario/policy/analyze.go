package policy

import (
	"sort"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// Info is what an expression reads, found by walking its syntax tree.
type Info struct {
	// Vars are the variables the expression reads, sorted; reports show
	// their values when the policy fires.
	Vars []string
	// Spans are the window spans it asks for; the runner keeps history for
	// the longest.
	Spans []time.Duration
	// Sampled is true when it reads a figure that has no value before the
	// first sample: error_rate, a latency percentile, or a window.
	Sampled bool
}

// sampledVars have no value until a request has been answered.
var sampledVars = map[string]bool{"error_rate": true, "p50_ms": true, "p95_ms": true, "p99_ms": true}

// Analyze parses when (which must already compile) and reports what it reads.
func Analyze(when string) Info {
	tree, err := parser.Parse(when)
	if err != nil {
		return Info{}
	}
	v := &infoVisitor{vars: map[string]bool{}}
	ast.Walk(&tree.Node, v)
	info := Info{Spans: v.spans, Sampled: v.sampled}
	for name := range v.vars {
		info.Vars = append(info.Vars, name)
	}
	sort.Strings(info.Vars)
	return info
}

type infoVisitor struct {
	vars    map[string]bool
	spans   []time.Duration
	sampled bool
}

func (v *infoVisitor) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		if windowFuncs[n.Value] {
			return
		}
		if isVariable(n.Value) {
			v.vars[n.Value] = true
			v.sampled = v.sampled || sampledVars[n.Value]
		}
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok || !windowFuncs[id.Value] || len(n.Arguments) != 1 {
			return
		}
		if s, ok := n.Arguments[0].(*ast.StringNode); ok {
			if d, err := ParseSpan(s.Value); err == nil {
				v.spans = append(v.spans, d)
				v.sampled = true
				v.vars[id.Value+"(\""+s.Value+"\")"] = true
			}
		}
	}
}

func isVariable(name string) bool {
	for _, v := range Variables {
		if v == name {
			return true
		}
	}
	return false
}
