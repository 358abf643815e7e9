package model

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// Index maps JSON pointers (/targets/0/name) to the YAML nodes they came
// from, so that schema and semantic errors point at the right line and
// column: a value error at the value, an unknown field at its key.
type Index struct {
	nodes  map[string]indexed
	budget int // nodes left to visit; aliases can make a small file huge
}

// maxNodes bounds the expanded size of a document ("billion laughs").
const maxNodes = 200000

type indexed struct {
	key, value *yaml.Node // key is nil for sequence items and the root
}

// Pos returns the position of the value at pointer, or of its key when key
// is true and the value has one. For an unknown pointer it falls back to the
// nearest known parent, so a diagnostic is never without a position.
func (ix *Index) Pos(pointer string, key bool) diag.Pos {
	for {
		if n, ok := ix.nodes[pointer]; ok {
			if key && n.key != nil {
				return nodePos(n.key)
			}
			return nodePos(n.value)
		}
		if pointer == "" {
			return diag.Pos{Line: 1, Column: 1}
		}
		i := strings.LastIndexByte(pointer, '/')
		pointer = pointer[:i]
		key = true
	}
}

// Node returns the value node at pointer, if any.
func (ix *Index) Node(pointer string) *yaml.Node {
	return ix.nodes[pointer].value
}

// nodeOrNil is Node that tolerates a nil index.
func (ix *Index) nodeOrNil(pointer string) *yaml.Node {
	if ix == nil {
		return nil
	}
	return ix.Node(pointer)
}

// buildIndex converts a YAML document node to the JSON-compatible value that
// the JSON Schema validator checks (maps, slices, strings, float64/int64,
// bools, nil) and records every node's pointer on the way.
// ok is false when the document expands beyond maxNodes.
func buildIndex(doc *yaml.Node) (v any, ix *Index, ok bool) {
	ix = &Index{nodes: map[string]indexed{}, budget: maxNodes}
	root := doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	v = ix.walk(root, nil, "", 0)
	return v, ix, ix.budget >= 0
}

func (ix *Index) walk(n, key *yaml.Node, ptr string, depth int) any {
	ix.budget--
	if ix.budget < 0 || depth > 100 {
		ix.budget = -1
		return nil
	}
	if _, seen := ix.nodes[ptr]; !seen || key != nil {
		ix.nodes[ptr] = indexed{key: key, value: n}
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias != nil {
			return ix.walk(n.Alias, key, ptr, depth+1)
		}
		return nil
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		ix.mergeInto(m, n, ptr, depth)
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			s[i] = ix.walk(c, nil, ptr+"/"+strconv.Itoa(i), depth+1)
		}
		return s
	case yaml.ScalarNode:
		return scalarValue(n)
	}
	return nil
}

// mergeInto adds the pairs of mapping n to m, keys already in m winning:
// first n's own keys, then those of its merge keys (<<: *anchor, or a list
// of anchors, earlier ones first), as yaml.v3 resolves them when decoding.
// Without this the schema would miss merged fields ("missing required
// field") that the decoded scenario has.
func (ix *Index) mergeInto(m map[string]any, n *yaml.Node, ptr string, depth int) {
	ix.budget-- // merges of merges can multiply like aliases do
	if ix.budget < 0 || depth > 100 {
		ix.budget = -1
		return
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if _, dup := m[k.Value]; dup {
			continue
		}
		m[k.Value] = ix.walk(v, k, ptr+"/"+escapePointer(k.Value), depth+1)
	}
	for _, v := range merges {
		if v.Kind == yaml.AliasNode && v.Alias != nil {
			v = v.Alias
		}
		switch v.Kind {
		case yaml.MappingNode:
			ix.mergeInto(m, v, ptr, depth+1)
		case yaml.SequenceNode:
			for _, c := range v.Content {
				if c.Kind == yaml.AliasNode && c.Alias != nil {
					c = c.Alias
				}
				if c.Kind == yaml.MappingNode {
					ix.mergeInto(m, c, ptr, depth+1)
				}
			}
		}
	}
}

// scalarValue gives a scalar the JSON type its YAML tag implies. Timestamps
// stay strings: "from: 2026-10-01" is a date string to the schema.
func scalarValue(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			return i
		}
		var f float64
		if n.Decode(&f) == nil {
			return f
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil {
			return f
		}
	}
	return n.Value
}

func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
