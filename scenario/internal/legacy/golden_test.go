package legacy_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/legacy"
	"github.com/trafficinator/trafficinator/scenario/internal/testfiles"
)

// TestGolden migrates every shared legacy file and compares the YAML and
// the rendered diagnostics with testdata/*.golden.*.
func TestGolden(t *testing.T) {
	for _, name := range append(legacyFiles, "broken.env") {
		t.Run(name, func(t *testing.T) {
			res := migrateFile(t, name, testOptions())
			base := strings.TrimSuffix(name, ".env")
			if name != "broken.env" {
				testfiles.Golden(t, filepath.Join("testdata", base+".golden.yaml"), res.YAML)
			}
			var b bytes.Buffer
			if err := diag.WriteText(&b, res.Diags, res.Source); err != nil {
				t.Fatal(err)
			}
			testfiles.Golden(t, filepath.Join("testdata", base+".diags.golden.txt"), b.Bytes())
		})
	}
}

// TestMigrateTwiceSameBytes: the output depends only on the inputs.
func TestMigrateTwiceSameBytes(t *testing.T) {
	for _, name := range legacyFiles {
		a := migrateFile(t, name, testOptions())
		b := migrateFile(t, name, testOptions())
		if !bytes.Equal(a.YAML, b.YAML) || render(a) != render(b) {
			t.Errorf("%s: two migrations differ", name)
		}
	}
}

// TestMigratedYAMLShape checks what every migrated scenario promises: the
// modeline first, no error, and no literal token.
func TestMigratedYAMLShape(t *testing.T) {
	for _, name := range legacyFiles {
		res := migrateFile(t, name, testOptions())
		if res.Diags.HasErrors() {
			t.Fatalf("%s: errors:\n%s", name, render(res))
		}
		if !strings.HasPrefix(string(res.YAML), legacy.SchemaModeline+"\n") {
			t.Errorf("%s: the YAML does not start with the schema modeline", name)
		}
		for _, tok := range []string{"0123456789abcdef0123456789abcdef", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"} {
			if strings.Contains(string(res.YAML), tok) || strings.Contains(render(res), tok) {
				t.Errorf("%s: a token appears in the output", name)
			}
		}
	}
}

// TestTestdataMatchesSharedInputs: the legacy inputs in testdata/ are
// copies of the project's shared legacy files; when those are at hand,
// the copies must not have drifted from them.
func TestTestdataMatchesSharedInputs(t *testing.T) {
	const shared = "/work/shared/legacy"
	if _, err := os.Stat(shared); err != nil {
		t.Skip("the shared legacy inputs are not on this machine")
	}
	for _, name := range append(legacyFiles, "broken.env", "funnels.json") {
		a, err1 := os.ReadFile(filepath.Join(shared, name))
		b, err2 := os.ReadFile(filepath.Join("testdata", name))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("testdata/%s differs from %s/%s (%v, %v)", name, shared, name, err1, err2)
		}
	}
}
