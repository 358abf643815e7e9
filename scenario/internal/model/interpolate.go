package model

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/interp"
)

// Lookup resolves a variable name; ok is false when it is unset.
type Lookup func(name string) (value string, ok bool)

// interpolation expands ${VAR}, ${VAR:-default}, ${VAR:?message} and $$ in
// YAML string values, in the manner of docker compose (the grammar is
// package interp's, shared with .env files; defaults nest). Every value taken from
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

// expand returns the expanded value of a scalar node and whether it
// changed, with the grammar of package interp.
func (ip *interpolation) expand(n *yaml.Node) (string, bool) {
	r := interp.Expand(n.Value, interp.Options{Lookup: ip.lookup})
	if r.Err != nil {
		ip.errorAt(n, r.Err.Offset, r.Err.Message, r.Err.Hint)
		return n.Value, false
	}
	ip.secrets = append(ip.secrets, r.Secrets...)
	return r.Value, r.Changed
}

func (ip *interpolation) errorAt(n *yaml.Node, off int, msg, hint string) {
	ip.diags = append(ip.diags, diag.Diagnostic{
		File: ip.file, Severity: diag.Error, Message: msg, Hint: hint,
	}.At(scalarOffsetPos(ip.data, n, off)))
}
