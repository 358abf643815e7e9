package tables

import (
	"bytes"
	"strings"
	"testing"
)

func render(w *bytes.Buffer, out interface{ Write([]byte) (int, error) }) {
	_, _ = out.Write([]byte("Plan for <a&b>\n"))
	t := New(out)
	t.Header([]string{"target", "token"})
	_ = t.Append([]string{"<script>", "—"})
	_ = t.Render()
	_, _ = out.Write([]byte("after\n"))
}

func TestTextTableUnchanged(t *testing.T) {
	var b bytes.Buffer
	render(&b, &b)
	if !strings.HasPrefix(b.String(), "Plan for <a&b>\n┌") || !strings.Contains(b.String(), "│ <script> │") {
		t.Fatalf("text output changed:\n%s", b.String())
	}
}

func TestHTMLEscapesTextAndCells(t *testing.T) {
	var b bytes.Buffer
	h := NewHTML(&b)
	render(&b, h)
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		"<pre class=\"text\">Plan for &lt;a&amp;b&gt;\n</pre>\n<table>",
		"<th>target</th>", "<td>&lt;script&gt;</td>",
		"</table>\n<pre class=\"text\">after\n</pre>\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "<script>") || strings.Contains(got, "style=") {
		t.Errorf("unescaped cell or inline style (the CSP forbids it):\n%s", got)
	}
}
