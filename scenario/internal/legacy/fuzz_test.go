package legacy_test

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/dotenv"
	"github.com/trafficinator/trafficinator/scenario/internal/legacy"
)

// FuzzMigrate feeds arbitrary .env text, funnel JSON and URL lists to the
// .env parser and the adapter. Neither may panic; a migration without
// errors must give YAML that loads without errors, the same bytes twice,
// and no token of the input; every diagnostic must point into its file.
func FuzzMigrate(f *testing.F) {
	// Seeds stay small: the engine minimizes every new input it finds, for
	// up to a minute at a migration per try, so the big legacy files (which
	// the golden tests cover) made it spend its time minimizing, at a few
	// executions a second. These cover the same kinds of settings in a few
	// lines each.
	for _, s := range []string{
		"MATOMO_URL=https://m.example/matomo.php\nMATOMO_SITE_ID=3\nMATOMO_TOKEN_AUTH=0123456789abcdef\nTARGET_VISITS_PER_DAY=5000\nCONCURRENCY=10\n",
		"MATOMO_URL=https://m.example/\nBACKFILL_ENABLED=true\nBACKFILL_START_DATE=2026-01-01\nBACKFILL_END_DATE=2026-01-03\nBACKFILL_RPS_LIMIT=5\nMATOMO_TOKEN_AUTH=t0k3n\n",
		"MATOMO_URL=https://m.example/\nRANDOMIZE_VISITOR_COUNTRIES=true\nECOMMERCE_PROBABILITY=0.1\nECOMMERCE_CURRENCY=EUR\nPAGEVIEWS_MIN=2\nPAGEVIEWS_MAX=4\n",
		"MATOMO_URL=https://u:p4ss@m.example/\nSITESEARCH_PROBABILITY=0.2\nPAUSE_BETWEEN_PVS_MIN=0.1\nTIMEZONE=Europe/Stockholm\n",
	} {
		f.Add([]byte(s), []byte(`[{"name":"f","probability":1,"steps":[{"type":"pageview","url":"https://s.example/"}]}]`), []byte("https://example.com/a\tA\n"))
	}
	f.Add([]byte("MATOMO_URL=https://m.example/\nFUNNEL_CONFIG_PATH=f.json\nURLS_FILE=u.txt\n"),
		[]byte(`[{"name":"Checkout","probability":0.2,"priority":1,"steps":[{"type":"pageview","url":"https://s.example/","delay_seconds_max":2},{"type":"event","category":"c","action":"a"},{"type":"ecommerce_order"}]}]`),
		[]byte("https://example.com/a\tA\n"))
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
