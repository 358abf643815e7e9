package model

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// scalarOffsetPos is the file position of byte off of scalar n's value, so
// that an error inside a value (a ${VAR}, a name in a policy expression)
// points at its own column. It is exact for single-line plain and quoted
// scalars and for literal blocks (|); for folded blocks (>) it is exact
// while no blank or more-indented line intervenes. data is the file: a
// node does not record where a block's content is indented.
func scalarOffsetPos(data []byte, n *yaml.Node, off int) diag.Pos {
	p := nodePos(n)
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		if bp, ok := blockOffsetPos(data, n, off); ok {
			return bp
		}
		return p
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		p.Column++
	}
	p.Column += off
	return p
}

// blockOffsetPos walks the content lines of a block scalar, which start on
// the line after its | or > indicator, each contributing its text and one
// line break to the value.
func blockOffsetPos(data []byte, n *yaml.Node, off int) (diag.Pos, bool) {
	lines := strings.Split(string(data), "\n")
	indent := -1
	for i := n.Line; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], "\r")
		if strings.TrimSpace(l) != "" {
			indent = len(l) - len(strings.TrimLeft(l, " "))
			break
		}
	}
	if indent < 0 {
		return diag.Pos{}, false
	}
	rest := off
	for i := n.Line; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], "\r")
		content := ""
		if len(l) > indent {
			content = l[indent:]
		}
		if rest <= len(content) {
			return diag.Pos{Line: i + 1, Column: indent + 1 + rest}, true
		}
		rest -= len(content) + 1
	}
	return diag.Pos{}, false
}

// textOffset converts a 1-based line and column inside text to a byte
// offset.
func textOffset(text string, line, col int) int {
	off := 0
	for i := 1; i < line; i++ {
		j := strings.IndexByte(text[off:], '\n')
		if j < 0 {
			break
		}
		off += j + 1
	}
	return off + max(col-1, 0)
}
