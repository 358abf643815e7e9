package model

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/scenario/internal/convert"
	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// iniRegistry converts "*.ini" files (any content) into validBase with a
// sink target whose site_id comes from ${SITE}, which the "original" file
// defines; it adds one note and one warning.
func iniRegistry(t *testing.T) *convert.Registry {
	t.Helper()
	r := convert.NewRegistry()
	if err := r.Register(convert.Converter{From: "t/ini", To: APIVersion, Name: "test ini",
		Convert: func(doc convert.Document, _ convert.Options) convert.Result {
			return convert.Result{
				Doc: convert.Document{Data: []byte(head + run1m + "targets:\n  - name: a\n    kind: sink\n    site_id: ${SITE}\n")},
				Diags: diag.List{
					{File: doc.File, Line: 1, Column: 1, Severity: diag.Info, Message: "a note for migrate"},
					{File: doc.File, Line: 2, Column: 3, Severity: diag.Warning, Message: "a warning"},
				},
				Env: map[string]string{"SITE": "7"},
			}
		}}); err != nil {
		t.Fatal(err)
	}
	r.RegisterDetector(func(file string, _ []byte) (string, bool) { return "t/ini", strings.HasSuffix(file, ".ini") })
	return r
}

// TestLoadFileConvertsThroughTheRegistry: with Options.Converters, a file
// of an older format is converted in memory and loaded; without, it is
// loaded as YAML (and fails as one).
func TestLoadFileConvertsThroughTheRegistry(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.ini")
	if err := os.WriteFile(path, []byte("SITE=7\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	opts := testOptions(nil)
	opts.Converters = iniRegistry(t)
	r := LoadFile(path, opts)
	if !r.Valid() || r.Adapter != "test ini" || r.Original == nil || r.Original.File != path {
		t.Fatalf("converted load: valid=%t adapter=%q original=%+v\n%s", r.Valid(), r.Adapter, r.Original, dump(r.Diags))
	}
	if r.Source.File != path+" (migrated)" || r.Scenario.Targets[0].SiteID != 7 {
		t.Errorf("source %q, site_id %d", r.Source.File, r.Scenario.Targets[0].SiteID)
	}
	if len(r.Diags) != 1 || r.Diags[0].Message != "a warning" || r.Diags[0].Line != 2 || r.Diags[0].Column != 3 {
		t.Errorf("want only the warning (notes are for migrate):\n%s", dump(r.Diags))
	}
	// The caller's lookup comes before the values the original defined.
	opts.Lookup = envLookup(map[string]string{"SITE": "9"})
	if r := LoadFile(path, opts); !r.Valid() || r.Scenario.Targets[0].SiteID != 9 {
		t.Errorf("the caller's SITE did not win:\n%s", dump(r.Diags))
	}
	opts.Converters = nil
	if r := LoadFile(path, opts); r.Valid() || r.Adapter != "" {
		t.Errorf("without converters the file loaded as %q", r.Adapter)
	}
}
