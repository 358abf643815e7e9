package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
)

// Every output format of every document the command line prints is
// listed here, once: the --format flags, their help, their errors and
// docs/cli.md are all read from these registries. A new format is a
// Writer and one line below.
//
// A registry is generic over the document it writes rather than one
// registry of report writers with special cases: a diff and a plan are
// different documents from a report (a diff has no run, a plan has no
// outcome), so each gets its own registry, built the same way, and a
// command offers exactly the formats its document has.

// ReportFormats writes the report of a run: apply, report show and report
// merge. The first is the default.
var ReportFormats = newFormats(
	format[*Report]{"table", WriteTable},
	format[*Report]{"json", WriteJSON},
	format[*Report]{"junit", WriteJUnit},
	format[*Report]{"markdown", WriteMarkdown},
)

// VerifyFormats writes a report once verified: verify. The table is the
// verification and the policies; JSON and JUnit are the whole report, as
// the other commands write it.
var VerifyFormats = newFormats(
	format[*Report]{"table", WriteVerifyTable},
	format[*Report]{"json", WriteJSON},
	format[*Report]{"junit", WriteJUnit},
)

// DiffFormats writes the comparison of two runs: report diff.
var DiffFormats = newFormats(
	format[*Diff]{"table", WriteDiffTable},
	format[*Diff]{"json", WriteDiffJSON},
	format[*Diff]{"junit", WriteDiffJUnit},
)

// PlanFormats writes an execution plan: plan. A plan has no verdicts, so
// no JUnit.
var PlanFormats = newFormats(
	format[*plan.Plan]{"table", plan.WriteTable},
	format[*plan.Plan]{"json", plan.WriteJSON},
)

// Writer writes one document in one format, the way Vegeta's Reporter
// does: a format is nothing but a function.
type Writer[T any] func(w io.Writer, doc T) error

// Formats is the registry of the formats of one kind of document, by
// name, in a fixed order (the default first).
type Formats[T any] struct {
	names   []string
	writers map[string]Writer[T]
}

// format is one registry entry.
type format[T any] struct {
	name  string
	write Writer[T]
}

func newFormats[T any](entries ...format[T]) *Formats[T] {
	f := &Formats[T]{writers: map[string]Writer[T]{}}
	for _, e := range entries {
		if _, dup := f.writers[e.name]; dup {
			panic("report: format " + e.name + " registered twice")
		}
		f.names = append(f.names, e.name)
		f.writers[e.name] = e.write
	}
	return f
}

// Names lists the formats, the default first, in registration order.
func (f *Formats[T]) Names() []string { return slices.Clone(f.names) }

// Has reports whether name is one of the formats.
func (f *Formats[T]) Has(name string) bool { _, ok := f.writers[name]; return ok }

// Write writes doc to w in the format called name.
func (f *Formats[T]) Write(w io.Writer, name string, doc T) error {
	write, ok := f.writers[name]
	if !ok {
		return fmt.Errorf("unknown format %q (want %s)", name, OneOf(f.names))
	}
	return write(w, doc)
}

// WriteFile writes doc to path in the format called name, atomically
// (see WriteFile).
func (f *Formats[T]) WriteFile(path, name string, doc T) error {
	if !f.Has(name) {
		return fmt.Errorf("writing %s: unknown format %q (want %s)", path, name, OneOf(f.names))
	}
	return WriteFile(path, func(w io.Writer) error { return f.Write(w, name, doc) })
}

// OneOf lists names for a message: "table", "table or json",
// "table, json or junit".
func OneOf(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
