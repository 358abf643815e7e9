package catalog

import (
	"embed"
	"fmt"
	"strings"
)

//go:embed data/*.tsv data/*.txt
var dataFS embed.FS

// readData returns an embedded data file. A missing file is a build defect.
func readData(name string) string {
	b, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		panic("catalog: embedded " + name + ": " + err.Error())
	}
	return string(b)
}

// row is one data line of an embedded file, with its 1-based line number.
type row struct {
	line   int
	fields []string
}

// rows splits an embedded text file into data rows: blank lines and lines
// starting with # are skipped, and so is the first remaining line when the
// file has a header. Every row must have exactly cols TAB-separated fields
// (cols 1 takes the whole line).
func rows(name string, header bool, cols int) []row {
	var out []row
	for i, line := range strings.Split(readData(name), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if header {
			header = false
			continue
		}
		f := []string{line}
		if cols > 1 {
			f = strings.Split(line, "\t")
		}
		if len(f) != cols {
			panic(dataError(name, i+1, "want %d TAB-separated fields, got %d", cols, len(f)))
		}
		out = append(out, row{line: i + 1, fields: f})
	}
	if len(out) == 0 {
		panic(dataError(name, 0, "no data rows"))
	}
	return out
}

func dataError(name string, line int, format string, args ...any) string {
	return fmt.Sprintf("catalog: embedded %s:%d: %s", name, line, fmt.Sprintf(format, args...))
}
