package legacy_test

import (
	"os"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/scenario/internal/convert"
	"github.com/trafficinator/trafficinator/scenario/internal/legacy"
)

func TestDetect(t *testing.T) {
	yamlScenario := "apiVersion: trafficinator/v1\nkind: Scenario\n"
	for _, c := range []struct {
		path, data string
		want       bool
	}{
		{"light.env", "MATOMO_URL=x\n", true},
		{"dir/.env", "", true},
		{".env.light", "# only comments\n", true},
		{"prod.env", yamlScenario, false}, // a scenario whatever its name
		{"settings", "# legacy\n\nexport MATOMO_URL=https://m.example/matomo.php\n", true},
		{"settings.txt", "MATOMO_URL=https://m.example/matomo.php\nTIMEZONE=CET\n", true},
		{"scenario.yaml", yamlScenario, false},
		{"other.yaml", "name: x\nitems: [1, 2]\n", false}, // YAML, not a .env
		{"empty.yaml", "", false},
		{"text", "hello world\n", false},
	} {
		if got := legacy.Detect(c.path, []byte(c.data)); got != c.want {
			t.Errorf("Detect(%q, %q) = %t, want %t", c.path, c.data, got, c.want)
		}
	}
}

// TestRegisteredAsOldestVersion: a registry the legacy package registered
// with knows the legacy format, detects it and converts it to v1 like
// Migrate.
func TestRegisteredAsOldestVersion(t *testing.T) {
	data, err := os.ReadFile("testdata/light.env")
	if err != nil {
		t.Fatal(err)
	}
	reg := convert.NewRegistry()
	if err := legacy.Register(reg); err != nil {
		t.Fatal(err)
	}
	v := reg.Detect("testdata/light.env", data)
	if v != legacy.APIVersion {
		t.Fatalf("detected %q", v)
	}
	res, err := reg.Upgrade(convert.Document{APIVersion: v, File: "testdata/light.env", Data: data}, scenario.APIVersion,
		convert.Options{Now: now, Lookup: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	want := migrateFile(t, "light.env", testOptions())
	if string(res.Doc.Data) != string(want.YAML) || res.Doc.APIVersion != scenario.APIVersion {
		t.Errorf("the registry's conversion differs from Migrate")
	}
	if !strings.Contains(string(res.Sources["testdata/light.env"]), "MATOMO_URL") || len(res.Diags) != len(want.Diags) {
		t.Errorf("sources or diagnostics lost: %d vs %d", len(res.Diags), len(want.Diags))
	}
}
