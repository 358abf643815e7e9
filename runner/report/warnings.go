package report

import (
	"fmt"
	"io"
)

// writeWarnings lists what the run went on despite, under the summary,
// where a reader of the outcome line sees them.
func writeWarnings(w io.Writer, warnings []string) {
	for _, msg := range warnings {
		fmt.Fprintf(w, "WARNING: %s\n", msg)
	}
	if len(warnings) > 0 {
		fmt.Fprintln(w)
	}
}
