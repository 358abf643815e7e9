package report

import (
	"io"

	"github.com/trafficinator/trafficinator/runner/internal/tables"
)

// WriteDiffHTML renders a diff as WriteDiffTable does, as an HTML fragment
// (the control page of trafficinator ui).
func WriteDiffHTML(w io.Writer, d *Diff) error {
	h := tables.NewHTML(w)
	if err := WriteDiffTable(h, d); err != nil {
		return err
	}
	return h.Close()
}
