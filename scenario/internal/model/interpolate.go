package model

import (
	"strconv"
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
	// deferSecrets turns an unset variable in a place a secret can be
	// into a note and a placeholder (Options.DeferSecrets); unset lists
	// them.
	deferSecrets bool
	unset        []UnsetVar
}

// expandNode expands every scalar value below n (mapping keys are left as
// written). Plain scalars are re-typed after expansion so that
// "site_id: ${SITE_ID:-1}" is an integer, as it would be if written out.
func (ip *interpolation) expandNode(n *yaml.Node) { ip.expandAt(n, nil) }

// expandAt is expandNode of the node at path (keys and indexes from the
// document's root), which tells whether a secret can be there.
func (ip *interpolation) expandAt(n *yaml.Node, path []string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			ip.expandAt(c, path)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			ip.expandAt(c, append(path[:len(path):len(path)], strconv.Itoa(i)))
		}
	case yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			ip.expandAt(n.Content[i], append(path[:len(path):len(path)], n.Content[i-1].Value))
		}
	case yaml.ScalarNode:
		if !strings.Contains(n.Value, "$") {
			return
		}
		before := len(ip.diags)
		out, changed := ip.expand(n, path)
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
func (ip *interpolation) expand(n *yaml.Node, path []string) (string, bool) {
	opts := interp.Options{Lookup: ip.lookup}
	if ip.deferSecrets {
		opts.Defer = func(name, msg string, off int) (string, bool) { return ip.deferAt(n, path, name, msg, off) }
	}
	r := interp.Expand(n.Value, opts)
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
