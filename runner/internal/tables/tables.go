// Package tables lets one renderer write a document for a terminal or for a
// web page: the plan (plan FILE) and the report diff (report diff) print
// lines and tables to an io.Writer; given an *HTML writer instead, the
// same code writes escaped text blocks and HTML tables, so the control
// page (trafficinator ui) shows exactly what the CLI prints without a
// second renderer to keep in step.
package tables

import (
	"html"
	"io"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// New returns a table that prints headers as written (tablewriter would
// upper-case them): a text table, or an HTML table when w is an *HTML.
func New(w io.Writer) *tablewriter.Table {
	h, ok := w.(*HTML)
	if !ok {
		return tablewriter.NewTable(w, tablewriter.WithHeaderAutoFormat(tw.Off))
	}
	h.closeText()
	return tablewriter.NewTable(h.w,
		tablewriter.WithRenderer(renderer.NewHTML(renderer.HTMLConfig{EscapeContent: true})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		// No alignment: the HTML renderer writes it as a style attribute,
		// which the pages' Content-Security-Policy forbids.
		tablewriter.WithHeaderAlignment(tw.AlignNone),
		tablewriter.WithRowAlignment(tw.AlignNone),
	)
}

// HTML is a writer whose text is escaped into <pre class="text"> blocks
// and whose tables (New) are HTML tables. Close ends the last block.
type HTML struct {
	w    io.Writer
	open bool
	err  error
}

// NewHTML returns an HTML writer on w.
func NewHTML(w io.Writer) *HTML { return &HTML{w: w} }

// Write escapes p into the current text block. Escaping works byte by
// byte on ASCII (<, >, &, ', "), so a write that splits a UTF-8 sequence
// is safe.
func (h *HTML) Write(p []byte) (int, error) {
	if h.err != nil {
		return 0, h.err
	}
	if !h.open {
		h.raw(`<pre class="text">`)
		h.open = true
	}
	h.raw(html.EscapeString(string(p)))
	if h.err != nil {
		return 0, h.err
	}
	return len(p), nil
}

// Close ends the open text block and returns the first write error.
func (h *HTML) Close() error {
	h.closeText()
	return h.err
}

func (h *HTML) closeText() {
	if h.open {
		h.raw("</pre>\n")
		h.open = false
	}
}

func (h *HTML) raw(s string) {
	if h.err == nil {
		_, h.err = io.WriteString(h.w, s)
	}
}
