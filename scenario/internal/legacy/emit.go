package legacy

// Why a hand-written emitter, not yaml.Node and go.yaml.in/yaml/v3's
// encoder (issue 13 asked for it if the output could be matched byte for
// byte): it cannot. Decoding testdata/multi-target.golden.yaml into a
// yaml.Node (comments kept) and encoding it again with SetIndent(2)
// changes 28 of its 96 lines, in three ways yaml.v3 has no option for:
//
//	golden                                  yaml.v3
//	  mode: realtime  # BACKFILL_ENABLED ..   mode: realtime # BACKFILL_ENABLED ..
//	  pageviews: { min: 3, max: 6 }  # ...    pageviews: {min: 3, max: 6} # ...
//	(a blank line before each top-level     (no blank lines: they are not
//	 section: metadata, run, targets, ...)   part of the node tree)
//
// Two spaces before a line comment and spaces inside flow braces are the
// house style of every migrated scenario (and of docs/ and examples/);
// patching yaml.v3's text afterwards would be a second emitter, and a more
// fragile one. So the writer below stays: it renders a small tree of
// nodes (tree.go) with the comments of comments.go, and yamlscalar.go
// quotes scalars, checked against yaml.v3's reading of them.

import (
	"bytes"
	"strconv"
	"strings"
)

// node is one entry of the YAML being written. Leaves carry their value
// already rendered (a scalar or a one-line flow collection); block nodes
// carry children, which are sequence items when seq is set.
type node struct {
	key   string // mapping key; "" for a sequence item
	path  string // JSON pointer, for comments
	value string
	kids  []*node
	seq   bool
}

func (n *node) add(k *node) *node {
	n.kids = append(n.kids, k)
	return k
}

// leaf adds key: value when value is not empty.
func (n *node) leaf(key, value string) {
	if value != "" {
		n.add(&node{key: key, path: n.path + "/" + key, value: value})
	}
}

// child adds a block mapping under key.
func (n *node) child(key string) *node {
	return n.add(&node{key: key, path: n.path + "/" + key})
}

// list adds a block sequence under key.
func (n *node) list(key string) *node {
	return n.add(&node{key: key, path: n.path + "/" + key, seq: true})
}

// item adds item i of a list node: a leaf with value, or (value "") a
// block for the caller to fill.
func (n *node) item(i int, value string) *node {
	return n.add(&node{path: n.path + "/" + strconv.Itoa(i), value: value})
}

// prune drops block mappings and sequences left empty.
func (n *node) prune() bool {
	if n.value != "" {
		return true
	}
	kept := n.kids[:0]
	for _, k := range n.kids {
		if k.prune() {
			kept = append(kept, k)
		}
	}
	n.kids = kept
	return len(kept) > 0
}

// writer renders nodes as block YAML with comments. The output depends on
// nothing but its input, so the same scenario gives the same bytes.
type writer struct {
	b bytes.Buffer
	c *comments
}

func (w *writer) line(s string) {
	w.b.WriteString(strings.TrimRight(s, " "))
	w.b.WriteByte('\n')
}

// notes writes the notes of path above it, at the given indentation.
func (w *writer) notes(pad, path string) {
	for _, t := range w.c.above[path] {
		for _, l := range wrap(t, pad+"# note: ", pad+"#       ", commentWidth) {
			w.line(l)
		}
	}
}

func (w *writer) withTrailing(s, path string) string {
	if t := commentText(w.c.trailing[path]); t != "" {
		return s + "  # " + t
	}
	return s
}

func (w *writer) block(kids []*node, indent int) {
	for _, k := range kids {
		w.entry(k, indent, "")
	}
}

// entry writes one mapping entry at indent; lead, when set, replaces the
// indentation of its first line (the "- " of a sequence item), and its
// notes were written already.
func (w *writer) entry(k *node, indent int, lead string) {
	if lead == "" {
		lead = strings.Repeat(" ", indent)
		w.notes(lead, k.path)
	}
	head := lead + yamlKey(k.key) + ":"
	switch {
	case k.value != "":
		w.line(w.withTrailing(head+" "+k.value, k.path))
	case k.seq:
		w.line(w.withTrailing(head, k.path))
		for _, it := range k.kids {
			w.item(it, indent+2)
		}
	default:
		w.line(w.withTrailing(head, k.path))
		w.block(k.kids, indent+2)
	}
}

// item writes one sequence item at indent.
func (w *writer) item(it *node, indent int) {
	pad := strings.Repeat(" ", indent)
	w.notes(pad, it.path)
	if it.value != "" {
		w.line(w.withTrailing(pad+"- "+it.value, it.path))
		return
	}
	first := it.kids[0]
	w.notes(pad, first.path)
	w.entry(first, indent+2, pad+"- ")
	w.block(it.kids[1:], indent+2)
}

// emit writes the scenario as commented YAML: the schema modeline, the
// header, then every field that is set, in the order of docs/scenario.md.
func emitNodes(root *node, c *comments) []byte {
	root.prune()
	w := &writer{c: c}
	w.line(SchemaModeline)
	if len(c.header) > 0 {
		w.line("#")
		for _, h := range c.header {
			w.line(strings.TrimRight("# "+h, " "))
		}
	}
	for i, k := range root.kids {
		if i > 0 && k.value == "" {
			w.line("") // a blank line between top-level sections
		}
		w.entry(k, 0, "")
	}
	return w.b.Bytes()
}
