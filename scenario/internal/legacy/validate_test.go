package legacy_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// TestMigratedScenariosValidate: every migrated scenario loads without an
// error, as validate would load it (tokens set in the environment).
func TestMigratedScenariosValidate(t *testing.T) {
	for _, name := range legacyFiles {
		res := migrateFile(t, name, testOptions())
		lr := loadMigrated(t, filepath.Join("testdata", name+".yaml"), res)
		if lr.Diags.HasErrors() || lr.Scenario == nil {
			var b bytes.Buffer
			_ = diag.WriteText(&b, lr.Diags, func(string) ([]byte, bool) { return res.YAML, true })
			t.Errorf("%s: the migrated scenario does not validate:\n%s", name, b.String())
		}
	}
}
