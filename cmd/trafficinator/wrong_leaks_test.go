package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// URL credentials used by the tests of item 7: neither part may appear in
// any output.
const (
	credUser = "trackuser"
	credPass = "pass-X9q7Zk"
)

func checkNoCredentials(t *testing.T, where, out string) {
	t.Helper()
	for _, form := range []string{credPass, credUser + ":", url.QueryEscape(credPass), "X9q7Zk"} {
		if strings.Contains(out, form) {
			t.Errorf("%s shows the URL credentials (%q):\n%s", where, form, out)
		}
	}
}

// credScenario is a valid scenario whose target URL (line 10) carries
// credentials.
func credScenario(endpoint string) string {
	return scenarioHead + "targets:\n  - name: a\n    url: " + endpoint + "\n    site_id: 1\n"
}

// Item 7: URL credentials were printed by plan (table and JSON), validate
// and migrate.
func TestWrong7URLCredentialsPrinted(t *testing.T) {
	withCreds := "https://" + credUser + ":" + credPass + "@m.example.com/matomo.php"
	dir := tree(t, map[string]string{
		"valid.yaml": credScenario(withCreds),
		// An unknown field on the URL's line: the text format quotes it.
		"quoted.yaml": scenarioHead + "targets:\n  - {name: a, url: \"" + withCreds + "\", site_id: 1, wieght: 1}\n",
		// A bad escape: the message quotes the URL.
		"bad-escape.yaml": credScenario("\"https://" + credUser + ":" + credPass + "@m.example.com/%zz\""),
		"api-url.yaml":    credScenario("https://m.example.com/matomo.php") + "    api_url: " + strings.Replace(withCreds, "matomo.php", "index.php", 1) + "\n",
		"legacy.env":      "MATOMO_URL=" + withCreds + "\nMATOMO_SITE_ID=3\n",
		"multi-ok.env": "MATOMO_URL=https://m.example.com/matomo.php\nMULTI_TARGET_CONFIG={\"targets\":[{\"name\":\"eu-1\",\"url\":\"" +
			withCreds + "\",\"site_id\":1}]}\n",
		"multi.env": "MATOMO_URL=https://m.example.com/matomo.php\nMULTI_TARGET_CONFIG={\"targets\":[{\"name\":\"eu-1\",\"url\":\"" +
			withCreds + "\",\"site_id\":1},{\"name\":\"bad\",\"url\":\"https://" + credUser + ":" + credPass + "@h/%zz\",\"site_id\":2}]}\n",
	})
	file := func(name string) string { return filepath.Join(dir, name) }

	t.Run("plan", func(t *testing.T) {
		for _, format := range []string{"table", "json"} {
			for _, f := range []string{"valid.yaml", "api-url.yaml"} {
				code, stdout, stderr := runCLI(t, "plan", "--format", format, file(f))
				if code != exitOK {
					t.Fatalf("plan %s %s: exit %d\n%s", format, f, code, stderr)
				}
				checkNoCredentials(t, "plan "+format+" "+f, stdout+stderr)
				if (f == "valid.yaml" || format == "json") && !strings.Contains(stdout, "https://[redacted]@m.example.com/") {
					t.Errorf("plan %s %s does not show the redacted endpoint:\n%s", format, f, stdout)
				}
			}
		}
	})

	t.Run("validate", func(t *testing.T) {
		cases := []struct {
			file string
			code int
			want string // in the text format
		}{
			{"valid.yaml", exitOK, ""},
			{"api-url.yaml", exitOK, ""},
			{"quoted.yaml", exitInvalid, "quoted.yaml:9:90: error: unknown field \"wieght\""},
			{"bad-escape.yaml", exitInvalid, "bad-escape.yaml:10:10: error: invalid URL: \"https://[redacted]@m.example.com/%zz\""},
		}
		for _, format := range []string{"text", "json", "github"} {
			for _, c := range cases {
				code, stdout, stderr := runCLI(t, "validate", "--format", format, file(c.file))
				if code != c.code {
					t.Errorf("validate %s %s: exit %d, want %d\n%s%s", format, c.file, code, c.code, stdout, stderr)
				}
				if format == "text" && !strings.Contains(stdout, c.want) {
					t.Errorf("validate %s: want %q in:\n%s", c.file, c.want, stdout)
				}
				checkNoCredentials(t, "validate "+format+" "+c.file, stdout+stderr)
			}
		}
		// The quoted source line is there, without the credentials.
		_, stdout, _ := runCLI(t, "validate", file("quoted.yaml"))
		// The caret stays under the field: the mask has the length of what
		// it hides.
		line := "  - {name: a, url: \"https://[redacted]***********@m.example.com/matomo.php\", site_id: 1, wieght: 1}\n"
		if !strings.Contains(stdout, line+strings.Repeat(" ", 2+89)+"^") {
			t.Errorf("source line not quoted with the credentials redacted:\n%s", stdout)
		}
	})

	t.Run("migrate", func(t *testing.T) {
		out := file("migrated.yaml")
		code, stdout, stderr := migrateCLI(t, file("legacy.env"), "-o", out)
		if code != exitOK {
			t.Fatalf("migrate: exit %d\n%s", code, stderr)
		}
		checkNoCredentials(t, "migrate", stdout+stderr)
		yaml, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		checkNoCredentials(t, "migrated scenario", string(yaml))
		if !strings.Contains(string(yaml), "url: ${MATOMO_URL}") {
			t.Errorf("the target does not read its URL from MATOMO_URL:\n%s", yaml)
		}
		if !strings.Contains(stderr, `legacy.env:1:12: warning: the tracking URL of target "matomo" holds credentials`) {
			t.Errorf("no warning about the moved credentials:\n%s", stderr)
		}
		// The migrated scenario runs with the .env as --env-file, and the
		// .env itself runs directly: both plan the credentialed endpoint
		// without showing it.
		for _, args := range [][]string{{"plan", "--format", "json", "--env-file", file("legacy.env"), out}, {"plan", file("legacy.env")}, {"validate", file("legacy.env")}} {
			code, stdout, stderr := runCLI(t, args...)
			if code != exitOK {
				t.Errorf("%v: exit %d\n%s", args, code, stderr)
			}
			checkNoCredentials(t, strings.Join(args, " "), stdout+stderr)
		}

		// Multi-target: one URL moves to its own variable, a bad one is an
		// error that does not quote it.
		code, stdout, stderr = migrateCLI(t, file("multi.env"))
		if code != exitInvalid || !strings.Contains(stderr, "invalid URL") {
			t.Errorf("multi.env: exit %d\n%s", code, stderr)
		}
		checkNoCredentials(t, "migrate multi.env", stdout+stderr)
		code, stdout, stderr = migrateCLI(t, file("multi-ok.env"))
		if code != exitOK || !strings.Contains(stdout, "url: ${MATOMO_URL_EU_1}") {
			t.Errorf("multi-ok.env: exit %d\n%s%s", code, stdout, stderr)
		}
		checkNoCredentials(t, "migrate multi-ok.env", stdout+stderr)
		code, stdout, stderr = runCLI(t, "plan", file("multi-ok.env"))
		if code != exitOK || !strings.Contains(stdout, "https://[redacted]@m.example.com/matomo.php") {
			t.Errorf("plan multi-ok.env: exit %d\n%s%s", code, stdout, stderr)
		}
		checkNoCredentials(t, "plan multi-ok.env", stdout+stderr)
	})
}

// The report names endpoints, preflight rows and error examples: a run
// against a target whose URL carries credentials shows them nowhere, yet
// sends them (as basic auth).
func TestURLCredentialsNotInReports(t *testing.T) {
	var authorized, hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); ok && u == credUser && p == credPass {
			authorized.Add(1)
		}
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(string(body)+r.URL.RawQuery, "rec=1") {
			hits.Add(1)
			http.Error(w, "no", http.StatusBadRequest) // every hit rejected: error examples
			return
		}
		w.WriteHeader(http.StatusNoContent) // preflight
	}))
	defer srv.Close()
	endpoint := strings.Replace(srv.URL, "http://", "http://"+credUser+":"+credPass+"@", 1) + "/matomo.php"
	dir := tree(t, map[string]string{
		"s.yaml": strings.Replace(credScenario(endpoint), "rate: 1/s", "rate: 20/s", 1) +
			"traffic:\n  pageviews: {min: 1, max: 1}\n",
	})
	out := filepath.Join(dir, "report.json")
	code, stdout, stderr := runCLI(t, "apply", "--max-visits", "3", "--grace", "5s", "--out", out, filepath.Join(dir, "s.yaml"))
	if code != exitOK {
		t.Fatalf("apply: exit %d\n%s%s", code, stdout, stderr)
	}
	if hits.Load() < 3 || authorized.Load() != hits.Load()+1 { // the preflight and every hit
		t.Errorf("target saw %d hits, %d requests with the credentials; want the credentials on every request", hits.Load(), authorized.Load())
	}
	report, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(report, &doc); err != nil {
		t.Fatalf("report: %v", err)
	}
	for where, text := range map[string]string{"stdout": stdout, "stderr": stderr, "report": string(report)} {
		checkNoCredentials(t, where, text)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	if !strings.Contains(string(report), `"endpoint": "http://`+host+`/matomo.php"`) || !strings.Contains(string(report), "HTTP 400") {
		t.Errorf("report lacks the endpoint or the error example:\n%s", report)
	}
	// A transport error (nothing listens) names the endpoint without them
	// too.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	if err := os.WriteFile(filepath.Join(dir, "down.yaml"), []byte(strings.Replace(credScenario("http://"+credUser+":"+credPass+"@"+closed+"/matomo.php"), "rate: 1/s", "rate: 20/s", 1)+
		"traffic:\n  pageviews: {min: 1, max: 1}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	downOut := filepath.Join(dir, "down.json")
	code, stdout, stderr = runCLI(t, "apply", "--no-preflight", "--max-visits", "1", "--grace", "5s", "--out", downOut, filepath.Join(dir, "down.yaml"))
	down, _ := os.ReadFile(downOut)
	if code != exitOK || !strings.Contains(string(down), "connection refused") {
		t.Errorf("apply against a closed port: exit %d, want 0 and a connection error example:\n%s%s\n%s", code, stdout, stderr, down)
	}
	checkNoCredentials(t, "apply against a closed port", stdout+stderr+string(down))
	for _, format := range []string{"table", "json"} {
		code, stdout, stderr := runCLI(t, "report", "show", "--format", format, out)
		if code != exitOK {
			t.Errorf("report show %s: exit %d\n%s", format, code, stderr)
		}
		checkNoCredentials(t, "report show "+format, stdout+stderr)
	}
}

// urlFileScenario names file as traffic.urls.file on line 14, column 11.
func urlFileScenario(file string) string {
	return validScenario + "traffic:\n  urls:\n    file: " + file + "\n"
}

// Item 7: validate and plan passed with a missing URL file.
func TestWrong7MissingURLFilePasses(t *testing.T) {
	dir := tree(t, map[string]string{
		"s.yaml":   urlFileScenario("missing.txt"),
		"ok.yaml":  urlFileScenario("urls.txt"),
		"urls.txt": "https://shop.example.com/\tHome\n",
		"bad.yaml": urlFileScenario("bad.txt"),
		"bad.txt":  "https://shop.example.com/\n\n  shop.example.com/cart\n",
	})
	s := filepath.Join(dir, "s.yaml")
	missing := filepath.Join(dir, "missing.txt")
	want := s + ":14:11: error: cannot use the URL file " + missing + ": no such file or directory"

	code, stdout, stderr := runCLI(t, "validate", s)
	if code != exitInvalid || !strings.Contains(stdout, want) {
		t.Errorf("validate: exit %d, want %d and %q in:\n%s%s", code, exitInvalid, want, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "validate", "--format", "json", s)
	if code != exitInvalid || !strings.Contains(stdout, `"line": 14`) || !strings.Contains(stdout, `"column": 11`) {
		t.Errorf("validate json: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, format := range []string{"table", "json"} {
		code, stdout, stderr = runCLI(t, "plan", "--format", format, s)
		if code != exitUsage || !strings.Contains(stderr, want) || stdout != "" {
			t.Errorf("plan %s: exit %d, want %d and %q in:\n%s%s", format, code, exitUsage, want, stdout, stderr)
		}
	}
	// A line that is not a URL is reported with the list's line and
	// column, at the position of the file: value.
	bad := filepath.Join(dir, "bad.yaml")
	wantBad := bad + ":14:11: error: cannot use the URL file " + filepath.Join(dir, "bad.txt") + ":3:3: not an absolute http(s) URL with a host"
	code, stdout, _ = runCLI(t, "validate", bad)
	if code != exitInvalid || !strings.Contains(stdout, wantBad) || strings.Contains(stdout, "cart") {
		t.Errorf("validate bad.txt: exit %d, want %q without the line's text:\n%s", code, wantBad, stdout)
	}
	if code, _, stderr := runCLI(t, "plan", bad); code != exitUsage || !strings.Contains(stderr, wantBad) {
		t.Errorf("plan bad.txt: exit %d\n%s", code, stderr)
	}
	// The file is found relative to the scenario, not the working
	// directory.
	if code, stdout, stderr := runCLI(t, "validate", filepath.Join(dir, "ok.yaml")); code != exitOK {
		t.Errorf("validate ok.yaml: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := runCLI(t, "plan", filepath.Join(dir, "ok.yaml")); code != exitOK {
		t.Errorf("plan ok.yaml: exit %d\n%s", code, stderr)
	}
}

// Item 7: urls.file accepted any path, and a read error quoted the first
// line of /proc/self/environ.
func TestWrong7URLFileAnyPath(t *testing.T) {
	t.Setenv("TRAFFICINATOR_TEST_SECRET", "environ-secret-Q4z")
	dir := tree(t, map[string]string{
		"secret.txt": "TOKEN=file-secret-Q4z\n",
	})
	big := filepath.Join(dir, "big.txt")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(32<<20 + 1); err != nil { // sparse
		t.Fatal(err)
	}
	f.Close()
	cases := []struct{ file, reason string }{
		{"/proc/self/environ", "is empty (or a system file that reports no size)"},
		{"/dev/zero", "is not a regular file (a device, pipe or socket)"},
		{dir, "is a directory, not a URL file"},
		{big, "is larger than 32 MiB"},
		{filepath.Join(dir, "secret.txt"), "1:1: not an absolute http(s) URL with a host"},
	}
	for i, c := range cases {
		s := filepath.Join(dir, "s"+string(rune('a'+i))+".yaml")
		if err := os.WriteFile(s, []byte(urlFileScenario(c.file)), 0o600); err != nil {
			t.Fatal(err)
		}
		sep := ": "
		if strings.HasSuffix(c.file, ".txt") && !strings.HasSuffix(c.file, "big.txt") {
			sep = ":"
		}
		want := s + ":14:11: error: cannot use the URL file " + c.file + sep + c.reason
		for _, format := range []string{"text", "json", "github"} {
			code, stdout, stderr := runCLI(t, "validate", "--format", format, s)
			if code != exitInvalid || format == "text" && !strings.Contains(stdout, want) {
				t.Errorf("validate %s %s: exit %d, want %d and %q in:\n%s%s", format, c.file, code, exitInvalid, want, stdout, stderr)
			}
			if strings.Contains(stdout+stderr, "-secret-Q4z") {
				t.Errorf("validate %s %s quotes the file:\n%s%s", format, c.file, stdout, stderr)
			}
		}
		code, stdout, stderr := runCLI(t, "plan", s)
		if code != exitUsage || !strings.Contains(stderr, want) || strings.Contains(stdout+stderr, "-secret-Q4z") {
			t.Errorf("plan %s: exit %d, want %d and %q in:\n%s%s", c.file, code, exitUsage, want, stdout, stderr)
		}
	}
	// migrate reads the URL file under the same rules.
	for _, c := range cases {
		env := filepath.Join(dir, "legacy.env")
		if err := os.WriteFile(env, []byte("MATOMO_URL=https://m.example.com/matomo.php\nURLS_FILE="+c.file+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := migrateCLI(t, env)
		if code != exitInvalid || !strings.Contains(stderr, "error: ") || strings.Contains(stdout+stderr, "-secret-Q4z") {
			t.Errorf("migrate URLS_FILE=%s: exit %d, want %d, an error and no secret:\n%s%s", c.file, code, exitInvalid, stdout, stderr)
		}
	}
}

// The sink's limits are checked before it listens: a memory cap that
// cannot hold one body of the largest size, or no body timeout, is a
// usage error.
func TestSinkLimitFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--max-body", "10MiB", "--max-body-memory", "16MiB"}, "below twice the body limit"},
		{[]string{"--max-body-memory", "lots"}, "--max-body-memory:"},
		{[]string{"--body-timeout", "0s"}, "--body-timeout must be greater than 0"},
	} {
		code, stdout, stderr := runCLI(t, append([]string{"sink", "--listen", "127.0.0.1:0"}, c.args...)...)
		if code != exitUsage || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("sink %v: exit %d, want %d and %q:\n%s%s", c.args, code, exitUsage, c.want, stdout, stderr)
		}
	}
}
