package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// firstLine returns the first line of a file.
func firstLine(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.SplitN(string(data), "\n", 2)[0]
}

// Every example's modeline points, relatively, at the draft-07 schema in
// the repository's schema/ folder, which exists.
func TestExampleModelinesResolve(t *testing.T) {
	for _, f := range exampleFiles(t) {
		line := firstLine(t, f)
		ref, ok := strings.CutPrefix(line, modelinePrefix)
		if !ok {
			t.Errorf("%s: first line %q is not a schema modeline", f, line)
			continue
		}
		if strings.Contains(ref, "://") || !strings.HasSuffix(ref, "/schema/scenario.v1.draft-07.json") {
			t.Errorf("%s: modeline points at %q, want a relative path to schema/scenario.v1.draft-07.json", f, ref)
		}
		target := filepath.Join(filepath.Dir(f), filepath.FromSlash(ref))
		abs, _ := filepath.Abs(target)
		want, _ := filepath.Abs("../../schema/scenario.v1.draft-07.json")
		if abs != want {
			t.Errorf("%s: modeline resolves to %s, want %s", f, abs, want)
		}
	}
}

// migrate points the modeline of the file it writes at the nearest schema/
// folder at or above it, relative to the file; at a given URL with
// --schema-url; and leaves it out, with a note, when there is neither.
func TestMigrateModeline(t *testing.T) {
	env := filepath.Join(legacyTestdata, "light.env")
	repo := tree(t, map[string]string{"schema/scenario.v1.draft-07.json": "{}", "scenarios/team/.keep": ""})

	out := filepath.Join(repo, "scenarios", "team", "light.yaml")
	if code, _, stderr := migrateCLI(t, env, "-o", out); code != exitOK || strings.Contains(stderr, "modeline") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if got := firstLine(t, out); got != "# yaml-language-server: $schema=../../schema/scenario.v1.draft-07.json" {
		t.Errorf("nested: %q", got)
	}

	out = filepath.Join(repo, "light.yaml")
	if code, _, stderr := migrateCLI(t, env, "-o", out); code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if got := firstLine(t, out); got != "# yaml-language-server: $schema=schema/scenario.v1.draft-07.json" {
		t.Errorf("at the root: %q", got)
	}

	out = filepath.Join(repo, "url.yaml")
	if code, _, stderr := migrateCLI(t, env, "-o", out, "--schema-url", "https://schemas.example.com/scenario.json"); code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if got := firstLine(t, out); got != "# yaml-language-server: $schema=https://schemas.example.com/scenario.json" {
		t.Errorf("--schema-url: %q", got)
	}

	bare := t.TempDir()
	if _, err := os.Stat(filepath.Join(filepath.Dir(bare), "schema")); err == nil {
		t.Skip("the temporary folder has a schema/ folder above it")
	}
	out = filepath.Join(bare, "light.yaml")
	code, _, stderr := migrateCLI(t, env, "-o", out)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if got := firstLine(t, out); got != "#" {
		t.Errorf("without a schema/ folder the first line is %q, want the comment block without a modeline", got)
	}
	if want := "note: no schema/scenario.v1.draft-07.json in " + bare + " or above it: the scenario has no schema modeline (give --schema-url URL)\n"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	// The file is still a valid scenario.
	if code, stdout, stderr := runCLI(t, "validate", out); code != exitOK {
		t.Errorf("validate: exit %d\n%s%s", code, stdout, stderr)
	}
}
