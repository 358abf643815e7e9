package report_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
)

// The formats of each document, in their fixed order (the default first):
// the --format flags, their errors and docs/cli.md read these lists.
func TestFormatNames(t *testing.T) {
	for _, c := range []struct {
		name  string
		names []string
		want  string
	}{
		{"report", report.ReportFormats.Names(), "table json junit markdown"},
		{"diff", report.DiffFormats.Names(), "table json junit"},
		{"plan", report.PlanFormats.Names(), "table json"},
	} {
		if got := strings.Join(c.names, " "); got != c.want {
			t.Errorf("%s formats %q, want %q", c.name, got, c.want)
		}
	}
	names := report.ReportFormats.Names()
	names[0] = "changed"
	if report.ReportFormats.Names()[0] != "table" {
		t.Error("Names returns the registry's own slice")
	}
}

func TestOneOf(t *testing.T) {
	for in, want := range map[string]string{"": "", "table": "table", "table json": "table or json", "table json junit": "table, json or junit"} {
		if got := report.OneOf(strings.Fields(in)); got != want {
			t.Errorf("OneOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// An unknown format is an error that lists the formats, and WriteFile
// creates no file for it.
func TestUnknownFormat(t *testing.T) {
	r := reportFrom("r1", digestA, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), time.Minute, named{"eu", newRec()})
	var b bytes.Buffer
	err := report.ReportFormats.Write(&b, "xml", r)
	if err == nil || err.Error() != `unknown format "xml" (want table, json, junit or markdown)` || b.Len() != 0 {
		t.Errorf("Write: %v, wrote %q", err, b.String())
	}
	path := filepath.Join(t.TempDir(), "r.xml")
	err = report.ReportFormats.WriteFile(path, "xml", r)
	if err == nil || err.Error() != "writing "+path+`: unknown format "xml" (want table, json, junit or markdown)` {
		t.Errorf("WriteFile: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file was created: %v", err)
	}
	if report.ReportFormats.Has("xml") || !report.ReportFormats.Has("junit") || report.PlanFormats.Has("junit") {
		t.Error("Has")
	}
}

// WriteFile writes the document as Write does, byte for byte.
func TestFormatsWriteFile(t *testing.T) {
	r := reportFrom("r1", digestA, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), time.Minute, named{"eu", newRec()})
	for _, name := range report.ReportFormats.Names() {
		path := filepath.Join(t.TempDir(), "r")
		if err := report.ReportFormats.WriteFile(path, name, r); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := report.ReportFormats.Write(&b, name, r); err != nil {
			t.Fatal(err)
		}
		if data, err := os.ReadFile(path); err != nil || !bytes.Equal(data, b.Bytes()) || b.Len() == 0 {
			t.Errorf("%s: file %q, Write %q (%v)", name, data, b.Bytes(), err)
		}
	}
}
