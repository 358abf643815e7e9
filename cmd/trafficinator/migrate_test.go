package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

const legacyTestdata = "../../scenario/internal/legacy/testdata"

// migrateCLI runs "trafficinator migrate ARGS" in-process, as run does,
// whether or not app.go lists the command yet.
func migrateCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	app := newApp(&out, &errOut)
	if app.Command("migrate") == nil {
		app.Commands = append(app.Commands, migrateCommand())
	}
	err := app.Run(reorderArgs(app, append([]string{"trafficinator", "migrate"}, args...)))
	var ec cli.ExitCoder
	switch {
	case err == nil:
		code = exitOK
	case errors.As(err, &ec):
		if msg := err.Error(); msg != "" {
			fmt.Fprintln(&errOut, "trafficinator:", msg)
		}
		code = ec.ExitCode()
	default:
		fmt.Fprintln(&errOut, "trafficinator:", err)
		code = exitUsage
	}
	return code, out.String(), errOut.String()
}

func TestMigrateToStdout(t *testing.T) {
	code, out, errOut := migrateCLI(t, filepath.Join(legacyTestdata, "light.env"))
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	want, err := os.ReadFile(filepath.Join(legacyTestdata, "light.golden.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// The converter's modeline names the schema's URL; migrate points it at
	// the repository's schema/ folder, relative to the working directory
	// (where stdout goes).
	want = withModeline(want, "../../schema/scenario.v1.draft-07.json")
	if !strings.HasPrefix(out, "# yaml-language-server: $schema=../../schema/scenario.v1.draft-07.json\n#\n# Migrated by") {
		t.Errorf("modeline: %q", strings.SplitN(out, "\n", 2)[0])
	}
	if out != string(want) {
		t.Errorf("stdout differs from light.golden.yaml:\n%s", out)
	}
	if !strings.Contains(errOut, "light.env:20:1: info: DIRECT_TRAFFIC_PROBABILITY=0.40 was above 0.30") ||
		!strings.Contains(errOut, "\n  DIRECT_TRAFFIC_PROBABILITY=0.40\n  ^\n") {
		t.Errorf("diagnostics are not in text form with the source line and a caret:\n%s", errOut)
	}
	if !strings.Contains(errOut, "light.env (trafficinator/legacy-env) to stdout: 0 warning(s)") {
		t.Errorf("no summary:\n%s", errOut)
	}
}

func TestMigrateToFileThenValidate(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "backfill.yaml")
	code, stdout, errOut := migrateCLI(t, filepath.Join(legacyTestdata, "backfill.env"), "-o", out)
	if code != exitOK || stdout != "" {
		t.Fatalf("exit %d, stdout %q\n%s", code, stdout, errOut)
	}
	first, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{stdout, errOut, string(first)} {
		if strings.Contains(s, "0123456789abcdef0123456789abcdef") {
			t.Fatal("the token of backfill.env is printed or written")
		}
	}
	// The .env itself supplies the token the scenario refers to.
	code, _, verr := runCLI(t, "validate", out, "--env-file", filepath.Join(legacyTestdata, "backfill.env"))
	if code != exitOK {
		t.Errorf("validate exit %d:\n%s", code, verr)
	}
	// Migrating twice gives the same bytes.
	if code, _, _ := migrateCLI(t, filepath.Join(legacyTestdata, "backfill.env"), "-o", out); code != exitOK {
		t.Fatal("second migration failed")
	}
	second, _ := os.ReadFile(out)
	if !bytes.Equal(first, second) {
		t.Error("two migrations differ")
	}
}

func TestMigrateBrokenExitsOne(t *testing.T) {
	code, out, errOut := migrateCLI(t, filepath.Join(legacyTestdata, "broken.env"))
	if code != exitInvalid || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	for _, want := range []string{
		"broken.env:2:12: error: the tracking URL scheme must be http or https, not ftp\n  MATOMO_URL=ftp://matomo.example.com/matomo.php\n             ^\n",
		"broken.env:15:1: warning: unknown legacy variable MATOMO_SIET_ID is ignored",
		"broken.env: 11 error(s), 2 warning(s); no scenario written",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("missing %q in\n%s", want, errOut)
		}
	}
}

func TestMigrateSideFileFlags(t *testing.T) {
	dir := tree(t, map[string]string{"urls.txt": "https://a.example/x\n"})
	code, _, errOut := migrateCLI(t, filepath.Join(legacyTestdata, "light.env"),
		"--funnels", filepath.Join(legacyTestdata, "funnels.json"), "--urls", filepath.Join(dir, "urls.txt"), "-o", filepath.Join(dir, "s.yaml"))
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "s.yaml"))
	for _, want := range []string{"urls: { file: urls.txt }", "- name: Checkout", "- name: Guide download"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("missing %q in\n%s", want, data)
		}
	}
}

func TestMigrateUsage(t *testing.T) {
	dir := tree(t, map[string]string{"a.env": "MATOMO_URL=https://m.example/matomo.php\n", "v1.yaml": validScenario, "odd.txt": "hello\n"})
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{nil, exitUsage, "migrate needs exactly one FILE"},
		{[]string{"a", "b"}, exitUsage, "migrate needs exactly one FILE"},
		{[]string{filepath.Join(dir, "missing.env")}, exitUsage, "no such file or directory"},
		{[]string{filepath.Join(dir, "a.env"), "-o", filepath.Join(dir, "a.env")}, exitUsage, "would overwrite the input"},
		{[]string{filepath.Join(dir, "a.env"), "--bogus"}, exitUsage, "flag provided but not defined"},
		{[]string{filepath.Join(dir, "odd.txt")}, exitInvalid, "neither a legacy .env file nor a scenario"},
	} {
		code, _, errOut := migrateCLI(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.err) {
			t.Errorf("migrate %v: exit %d, want %d with %q:\n%s", c.args, code, c.code, c.err, errOut)
		}
	}
	code, out, errOut := migrateCLI(t, filepath.Join(dir, "v1.yaml"))
	if code != exitOK || out != validScenario || !strings.Contains(errOut, "is already trafficinator/v1; nothing to migrate") {
		t.Errorf("v1 input: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
