package model

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// Lookup resolves a variable name; ok is false when it is unset.
type Lookup func(name string) (value string, ok bool)

// interpolation expands ${VAR}, ${VAR:-default}, ${VAR:?message} and $$ in
// YAML string values, in the manner of docker compose. Every value taken from
// the environment becomes a secret: it may hold a token or a private host,
// and Trafficinator never prints what it cannot vouch for.
type interpolation struct {
	lookup  Lookup
	file    string
	data    []byte // the file, for positions inside block scalars
	diags   diag.List
	secrets []string
	// failed holds the scalars whose expansion failed; the schema's
	// complaint about the unexpanded text would only repeat the error.
	failed map[*yaml.Node]bool
}

// expandNode expands every scalar value below n (mapping keys are left as
// written). Plain scalars are re-typed after expansion so that
// "site_id: ${SITE_ID:-1}" is an integer, as it would be if written out.
func (ip *interpolation) expandNode(n *yaml.Node) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			ip.expandNode(c)
		}
	case yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			ip.expandNode(n.Content[i])
		}
	case yaml.ScalarNode:
		if !strings.Contains(n.Value, "$") {
			return
		}
		before := len(ip.diags)
		out, changed := ip.expand(n)
		if len(ip.diags) > before {
			if ip.failed == nil {
				ip.failed = map[*yaml.Node]bool{}
			}
			ip.failed[n] = true
		}
		if !changed {
			return
		}
		n.Value = out
		if n.Style == 0 || n.Style == yaml.TaggedStyle && n.Tag == "" {
			n.Tag = ""
		}
	}
}

// expand returns the expanded value of a scalar node and whether it changed.
func (ip *interpolation) expand(n *yaml.Node) (string, bool) {
	s := n.Value
	var b strings.Builder
	changed := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '$' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
			changed = true
			continue
		case '{':
		default:
			b.WriteByte(c)
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			ip.errorAt(n, i, "unterminated variable reference: missing '}'", "write ${NAME}, or $$ for a literal $")
			return s, false
		}
		expr := s[i+2 : i+end]
		val, ok := ip.resolve(n, i, expr)
		if !ok {
			return s, false
		}
		b.WriteString(val)
		i += end
		changed = true
	}
	return b.String(), changed
}

// resolve evaluates the inside of one ${...}.
func (ip *interpolation) resolve(n *yaml.Node, off int, expr string) (string, bool) {
	name, op, arg := expr, "", ""
	if j := strings.IndexAny(expr, ":-?"); j >= 0 {
		name = expr[:j]
		rest := expr[j:]
		switch {
		case strings.HasPrefix(rest, ":-"):
			op, arg = ":-", rest[2:]
		case strings.HasPrefix(rest, ":?"):
			op, arg = ":?", rest[2:]
		case strings.HasPrefix(rest, "-"):
			op, arg = "-", rest[1:]
		case strings.HasPrefix(rest, "?"):
			op, arg = "?", rest[1:]
		default:
			ip.errorAt(n, off, fmt.Sprintf("invalid variable reference ${%s}", expr), "use ${NAME}, ${NAME:-default} or ${NAME:?message}")
			return "", false
		}
	}
	if !validVarName(name) {
		ip.errorAt(n, off, fmt.Sprintf("invalid variable name %q", name), "names are letters, digits and _, not starting with a digit")
		return "", false
	}
	val, set := "", false
	if ip.lookup != nil {
		val, set = ip.lookup(name)
	}
	empty := !set || (val == "" && strings.HasPrefix(op, ":"))
	switch {
	case !empty:
		if val != "" {
			ip.secrets = append(ip.secrets, val)
		}
		return val, true
	case op == ":-" || op == "-":
		return arg, true
	case op == ":?" || op == "?":
		msg := arg
		if msg == "" {
			msg = "required"
		}
		ip.errorAt(n, off, fmt.Sprintf("variable %s is not set: %s", name, msg), "")
		return "", false
	}
	ip.errorAt(n, off, fmt.Sprintf("variable %s is not set", name), fmt.Sprintf("export %s, pass --env-file, or give a default: ${%s:-value}", name, name))
	return "", false
}

func (ip *interpolation) errorAt(n *yaml.Node, off int, msg, hint string) {
	ip.diags = append(ip.diags, diag.Diagnostic{
		File: ip.file, Severity: diag.Error, Message: msg, Hint: hint,
	}.At(scalarOffsetPos(ip.data, n, off)))
}

func validVarName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
