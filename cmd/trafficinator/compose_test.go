package main

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const composeDir = examplesDir + "/compose"

// composeFile is what the test reads of examples/compose/docker-compose.yml.
type composeFile struct {
	Services map[string]struct {
		Image       string
		DependsOn   any `yaml:"depends_on"`
		Environment map[string]string
		Volumes     []string
		Command     []string
		Profiles    []string
	}
}

// The compose example has the three services, with the database settings
// Matomo reads equal to MariaDB's, and a trafficinator service that sets
// every variable its mounted scenario reads and applies that scenario.
func TestComposeExample(t *testing.T) {
	var c composeFile
	if err := yaml.Unmarshal(mustRead(t, composeDir+"/docker-compose.yml"), &c); err != nil {
		t.Fatal(err)
	}
	var names []string
	for name := range c.Services {
		names = append(names, name)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"db", "matomo", "trafficinator"}) {
		t.Fatalf("services %v", names)
	}
	db, matomo, tr := c.Services["db"], c.Services["matomo"], c.Services["trafficinator"]
	if !strings.HasPrefix(db.Image, "mariadb:") || !strings.HasPrefix(matomo.Image, "matomo:") || tr.Image != "${TRAFFICINATOR_IMAGE:-trafficinator:latest}" {
		t.Errorf("images %q %q %q", db.Image, matomo.Image, tr.Image)
	}
	for matomoVar, dbVar := range map[string]string{"MATOMO_DATABASE_USERNAME": "MARIADB_USER", "MATOMO_DATABASE_PASSWORD": "MARIADB_PASSWORD", "MATOMO_DATABASE_DBNAME": "MARIADB_DATABASE"} {
		if v := matomo.Environment[matomoVar]; v == "" || v != db.Environment[dbVar] {
			t.Errorf("matomo %s=%q, db %s=%q", matomoVar, v, dbVar, db.Environment[dbVar])
		}
	}
	if matomo.Environment["MATOMO_DATABASE_HOST"] != "db" {
		t.Errorf("matomo's database host %q", matomo.Environment["MATOMO_DATABASE_HOST"])
	}
	if env := sortedKeys(tr.Environment); !slices.Equal(env, []string{"MATOMO_SITE_ID", "MATOMO_TOKEN", "MATOMO_URL"}) {
		t.Errorf("trafficinator's environment %v", env)
	}
	if !strings.HasPrefix(tr.Environment["MATOMO_TOKEN"], "${MATOMO_TOKEN:?") || tr.Environment["MATOMO_URL"] != "http://matomo/matomo.php" {
		t.Errorf("trafficinator's environment %v", tr.Environment)
	}

	// The scenario is mounted from this folder, and applied.
	var host, mounted string
	for _, v := range tr.Volumes {
		if h, rest, ok := strings.Cut(v, ":"); ok && strings.HasSuffix(h, ".yaml") {
			host, mounted = h, strings.TrimSuffix(rest, ":ro")
		}
	}
	if host != "./matomo.yaml" || len(tr.Command) < 2 || tr.Command[0] != "apply" || tr.Command[1] != mounted {
		t.Fatalf("volumes %v, command %v", tr.Volumes, tr.Command)
	}
	scenario := filepath.Join(composeDir, host)
	read := map[string]bool{}
	for _, m := range regexp.MustCompile(`\$\{([A-Z_]+)`).FindAllStringSubmatch(string(mustRead(t, scenario)), -1) {
		read[m[1]] = true
	}
	if vars := sortedKeys(read); !slices.Equal(vars, []string{"MATOMO_SITE_ID", "MATOMO_TOKEN", "MATOMO_URL"}) {
		t.Errorf("the scenario reads %v", vars)
	}

	// With the service's variables set, the scenario is valid, without a
	// warning.
	t.Setenv("MATOMO_TOKEN", "0123456789abcdef0123456789abcdef")
	t.Setenv("MATOMO_URL", tr.Environment["MATOMO_URL"])
	t.Setenv("MATOMO_SITE_ID", "1")
	code, stdout, stderr := runCLI(t, "validate", scenario)
	if code != exitOK || stdout != "" || stderr != "1 file(s) checked: 1 valid, 0 invalid (0 errors, 0 warnings)\n" {
		t.Errorf("validate: exit %d\n%s%s", code, stdout, stderr)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
