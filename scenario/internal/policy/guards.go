package policy

import (
	"fmt"

	"github.com/expr-lang/expr/ast"
)

// MaxRange bounds what an expression may build from literals: a range
// a..b with more elements, or repeat(s, n) with a larger n, is refused at
// validate. At run time such a value exceeds expr's memory budget and the
// policy errors on every evaluation.
const MaxRange = 10000

// checkStatic refuses what validate can decide about an expression's run
// time: a division or modulo whose divisor can be zero where it is
// evaluated (every figure is 0 before the first request), and a literal
// range or repeat beyond MaxRange. A divisor is safe when it is a non-zero
// number, max(..., k) with a positive number k, or guarded: see guardsTrue.
// The tree is bounded by checkLimits, so the recursion here is too.
func checkStatic(when string, tree ast.Node) *Error {
	s := &staticCheck{runes: []rune(when)}
	s.walk(tree, nil)
	return s.err
}

type staticCheck struct {
	runes []rune
	err   *Error
}

// guards are the divisors (printed, such as requests or window("1m").hits)
// known to be non-zero where a node is evaluated.
type guards map[string]bool

func (g guards) with(more []string) guards {
	if len(more) == 0 {
		return g
	}
	out := guards{}
	for k := range g {
		out[k] = true
	}
	for _, k := range more {
		out[k] = true
	}
	return out
}

func (s *staticCheck) failAt(n ast.Node, format string, args ...any) {
	if s.err != nil {
		return
	}
	line, col := lineCol(s.runes, leftmost(n))
	s.err = &Error{Line: line, Column: col, Message: fmt.Sprintf(format, args...)}
}

func (s *staticCheck) walk(n ast.Node, g guards) {
	if n == nil || s.err != nil {
		return
	}
	switch n := n.(type) {
	case *ast.BinaryNode:
		switch n.Operator {
		case "&&", "and":
			s.walk(n.Left, g)
			s.walk(n.Right, g.with(guardsTrue(n.Left)))
			return
		case "||", "or":
			s.walk(n.Left, g)
			s.walk(n.Right, g.with(guardsFalse(n.Left)))
			return
		case "/", "%":
			s.walk(n.Left, g)
			s.walk(n.Right, g)
			s.divisor(n.Operator, n.Right, g)
			return
		case "..":
			s.walk(n.Left, g)
			s.walk(n.Right, g)
			from, ok1 := intLiteral(n.Left)
			to, ok2 := intLiteral(n.Right)
			if ok1 && ok2 && to-from+1 > MaxRange {
				s.failAt(n, "the range %s builds %.0f values: at most %d are allowed", n, to-from+1, MaxRange)
			}
			return
		}
	case *ast.VariableDeclaratorNode:
		// let x = ...; a guard on an outer x says nothing of this one.
		s.walk(n.Value, g)
		s.walk(n.Expr, nil)
		return
	case *ast.ConditionalNode:
		s.walk(n.Cond, g)
		s.walk(n.Exp1, g.with(guardsTrue(n.Cond)))
		s.walk(n.Exp2, g.with(guardsFalse(n.Cond)))
		return
	case *ast.BuiltinNode:
		if n.Name == "repeat" && len(n.Arguments) == 2 {
			if count, ok := intLiteral(n.Arguments[1]); ok && count > MaxRange {
				s.failAt(n.Arguments[1], "repeat count %.0f is larger than %d", count, MaxRange)
			}
		}
	}
	for _, c := range children(n) {
		s.walk(c, g)
	}
}

// leftmost is where the text of n starts: the smallest offset in its
// subtree (a binary node's own location is its operator's).
func leftmost(n ast.Node) int {
	from := n.Location().From
	for _, c := range children(n) {
		if c != nil {
			from = min(from, leftmost(c))
		}
	}
	return from
}

// divisor checks the right side of a division or modulo.
func (s *staticCheck) divisor(op string, d ast.Node, g guards) {
	what := "division"
	if op == "%" {
		what = "modulo"
	}
	if v, ok := number(d); ok {
		if v == 0 {
			s.failAt(d, "%s by zero", what)
		}
		return
	}
	if nonZero(d) || g[d.String()] {
		return
	}
	s.failAt(d, "%s by %s, which can be 0 (it is before the first request): guard it, as in `%s > 0 && ...` or `%s > 0 ? ... : ...`",
		what, d, d, d)
}

// nonZero: max(..., k) with a positive number k is never 0.
func nonZero(n ast.Node) bool {
	b, ok := n.(*ast.BuiltinNode)
	if !ok || b.Name != "max" {
		return false
	}
	for _, a := range b.Arguments {
		if v, ok := number(a); ok && v > 0 {
			return true
		}
	}
	return false
}

// guardsTrue returns the expressions that are non-zero whenever cond is
// true: X of each comparison X > k (k >= 0), X >= k (k > 0), X != 0 or
// X == k (k != 0), written either way round, among the terms that cond
// joins with && (and `not` of what guardsFalse finds).
func guardsTrue(cond ast.Node) []string {
	switch n := cond.(type) {
	case *ast.BinaryNode:
		switch n.Operator {
		case "&&", "and":
			return append(guardsTrue(n.Left), guardsTrue(n.Right)...)
		}
		return compared(n, func(op string, k float64) bool {
			switch op {
			case ">":
				return k >= 0
			case ">=":
				return k > 0
			case "!=":
				return k == 0
			case "==":
				return k != 0
			}
			return false
		})
	case *ast.UnaryNode:
		if n.Operator == "not" || n.Operator == "!" {
			return guardsFalse(n.Node)
		}
	}
	return nil
}

// guardsFalse returns the expressions that are non-zero whenever cond is
// false: X of each comparison X == 0, X <= k (k >= 0), X < k (k > 0) or
// X != k (k != 0), written either way round, among the terms that cond
// joins with || (and `not` of what guardsTrue finds).
func guardsFalse(cond ast.Node) []string {
	switch n := cond.(type) {
	case *ast.BinaryNode:
		switch n.Operator {
		case "||", "or":
			return append(guardsFalse(n.Left), guardsFalse(n.Right)...)
		}
		return compared(n, func(op string, k float64) bool {
			switch op {
			case "==":
				return k == 0
			case "<=":
				return k >= 0
			case "<":
				return k > 0
			case "!=":
				return k != 0
			}
			return false
		})
	case *ast.UnaryNode:
		if n.Operator == "not" || n.Operator == "!" {
			return guardsTrue(n.Node)
		}
	}
	return nil
}

// compared returns X when n compares X with a number k so that proves(op,
// k), op written as if X were on the left.
func compared(n *ast.BinaryNode, proves func(op string, k float64) bool) []string {
	if k, ok := number(n.Right); ok {
		if _, both := number(n.Left); !both && proves(n.Operator, k) {
			return []string{n.Left.String()}
		}
		return nil
	}
	if k, ok := number(n.Left); ok && proves(mirror[n.Operator], k) {
		return []string{n.Right.String()}
	}
	return nil
}

// mirror turns k OP X into X OP' k.
var mirror = map[string]string{">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}

// number reads a numeric literal, negated or not.
func number(n ast.Node) (float64, bool) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return float64(n.Value), true
	case *ast.FloatNode:
		return n.Value, true
	case *ast.UnaryNode:
		if n.Operator == "-" || n.Operator == "+" {
			if v, ok := number(n.Node); ok {
				if n.Operator == "-" {
					v = -v
				}
				return v, true
			}
		}
	}
	return 0, false
}

// intLiteral reads an integer literal, negated or not, as a float64 so
// that no size computed from it overflows.
func intLiteral(n ast.Node) (float64, bool) {
	inner := n
	for {
		u, ok := inner.(*ast.UnaryNode)
		if !ok {
			break
		}
		inner = u.Node
	}
	if _, ok := inner.(*ast.IntegerNode); !ok {
		return 0, false
	}
	return number(n)
}

// children lists a node's sub-expressions, as ast.Walk visits them.
func children(n ast.Node) []ast.Node {
	switch n := n.(type) {
	case *ast.UnaryNode:
		return []ast.Node{n.Node}
	case *ast.BinaryNode:
		return []ast.Node{n.Left, n.Right}
	case *ast.ChainNode:
		return []ast.Node{n.Node}
	case *ast.MemberNode:
		return []ast.Node{n.Node, n.Property}
	case *ast.SliceNode:
		return []ast.Node{n.Node, n.From, n.To}
	case *ast.CallNode:
		return append([]ast.Node{n.Callee}, n.Arguments...)
	case *ast.BuiltinNode:
		return n.Arguments
	case *ast.PredicateNode:
		return []ast.Node{n.Node}
	case *ast.VariableDeclaratorNode:
		return []ast.Node{n.Value, n.Expr}
	case *ast.SequenceNode:
		return n.Nodes
	case *ast.ConditionalNode:
		return []ast.Node{n.Cond, n.Exp1, n.Exp2}
	case *ast.ArrayNode:
		return n.Nodes
	case *ast.MapNode:
		out := make([]ast.Node, len(n.Pairs))
		copy(out, n.Pairs)
		return out
	case *ast.PairNode:
		return []ast.Node{n.Key, n.Value}
	}
	return nil
}
