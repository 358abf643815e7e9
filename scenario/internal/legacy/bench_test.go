package legacy_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/trafficinator/trafficinator/scenario/internal/legacy"
)

// BenchmarkMigrate measures one migration of each shared legacy file,
// the in-process validation of its output included.
func BenchmarkMigrate(b *testing.B) {
	for _, name := range legacyFiles {
		path := filepath.Join("testdata", name)
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if r := legacy.Migrate(path, data, testOptions()); r.YAML == nil {
					b.Fatal("no YAML")
				}
			}
		})
	}
}
