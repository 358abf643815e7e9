package legacy_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/scenario/diag"
	"github.com/trafficinator/trafficinator/scenario/dotenv"
	"github.com/trafficinator/trafficinator/scenario/legacy"
)

// FuzzMigrate feeds arbitrary .env text, funnel JSON and URL lists to the
// .env parser and the adapter. Neither may panic; a migration without
// errors must give YAML that loads without errors, the same bytes twice,
// and no token of the input; every diagnostic must point into its file.
func FuzzMigrate(f *testing.F) {
	funnels, _ := os.ReadFile("testdata/funnels.json")
	for _, name := range append(legacyFiles, "broken.env") {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, funnels, []byte("https://example.com/a\tA\n"))
	}
	for _, s := range []string{
		"", "=", "A", "export", "export X=1", "X='unterminated", "X=\"a\nb\"", "A=${A}${A}",
		"MATOMO_URL=https://m.example/matomo.php\nURLS_FILE=u.txt\nFUNNEL_CONFIG_PATH=f.json\n",
		"MATOMO_URL=https://m.example/\nMULTI_TARGET_CONFIG={\"targets\":[{\"name\":\"a\",\"url\":\"http://x\",\"site_id\":\"2\",\"weight\":0}]}\n",
		"MATOMO_URL=https://m.example/\nBACKFILL_ENABLED=TRUE\nBACKFILL_DAYS_BACK=0\nBACKFILL_DURATION_DAYS=1\nMATOMO_TOKEN_AUTH=x\n",
		"MATOMO_URL=https://m.example/\nDIRECT_TRAFFIC_PROBABILITY=1\nPAUSE_BETWEEN_PVS_MAX=1e-9\nECOMMERCE_SHIPPING_RATES=1,,2\n",
		"MATOMO_URL=\"https://m.example/\\u0001\"\nFUNNEL_CONFIG_PATH=\"a\\nb\x01.json\"\nURLS_FILE=\"x\ty.txt\"\n",
	} {
		f.Add([]byte(s), []byte(`[{"name":"$x","steps":[{"type":"pageview","url":"u"},{"type":"outlink","target_url":"/p"}]}]`), []byte("# c\n\nhttp://h/p  title\n"))
	}
	// A comment of a URL list may hold any bytes: the adapter and the
	// scenario's reader agree on it.
	f.Add([]byte("MATOMO_URL=http://0\nURLS_FILE=.txt"), []byte("0"), []byte("#\x82\nhttp://0"))
	f.Fuzz(func(t *testing.T, env, funnels, urls []byte) {
		_, _ = dotenv.Parse("f.env", env)
		opts := testOptions()
		opts.ReadFile = func(path string) ([]byte, error) {
			switch {
			case strings.HasSuffix(path, ".json"):
				return funnels, nil
			case strings.HasSuffix(path, ".txt"):
				return urls, nil
			}
			return nil, fs.ErrNotExist
		}
		res := legacy.Migrate("f.env", env, opts)
		for _, d := range res.Diags {
			src, ok := res.Sources[d.File]
			if !ok && strings.HasSuffix(d.File, ".txt") {
				src, ok = urls, true // URL lists are never quoted
			}
			if !ok {
				t.Fatalf("diagnostic names %q, which has no source: %+v", d.File, d)
			}
			if d.Line < 0 || d.Line > bytes.Count(src, []byte("\n"))+1 || d.Column < 0 {
				t.Fatalf("diagnostic outside its file: %+v", d)
			}
		}
		for _, d := range res.Diags {
			if strings.Contains(d.Message, "the migrated scenario is invalid") {
				t.Fatalf("the adapter wrote an invalid scenario: %s", d.Message)
			}
		}
		if res.Diags.HasErrors() {
			if res.YAML != nil {
				t.Fatal("YAML despite errors")
			}
			return
		}
		lr := scenario.Load("f.yaml", res.YAML, scenario.Options{Lookup: runLookup(res), Now: now, ReadURLFile: opts.ReadFile})
		if lr.Diags.HasErrors() {
			t.Fatalf("the migrated YAML does not load: %v\n%s", lr.Diags, res.YAML)
		}
		again := legacy.Migrate("f.env", env, opts)
		if !bytes.Equal(again.YAML, res.YAML) {
			t.Fatal("two migrations of the same input differ")
		}
		for _, tok := range res.Env {
			if len(strings.TrimSpace(tok)) >= diag.MinSecretLen && bytes.Contains(res.YAML, []byte(tok)) {
				t.Fatalf("token %q in the YAML", tok)
			}
		}
	})
}
