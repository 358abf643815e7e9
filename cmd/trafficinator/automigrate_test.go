package main

import (
	"strings"
	"testing"
)

const legacyDir = "../../scenario/internal/legacy/testdata/"

// validate, plan and apply take a legacy .env file: they migrate it in
// memory, say so once on stderr, and then behave as with the YAML.
func TestLegacyEnvIsMigratedInMemory(t *testing.T) {
	code, _, stderr := runCLI(t, "validate", legacyDir+"light.env")
	if code != 0 {
		t.Fatalf("validate light.env: exit %d\n%s", code, stderr)
	}
	note := "note: " + legacyDir + "light.env is a legacy .env file; run 'trafficinator migrate " + legacyDir + "light.env' to convert it"
	if strings.Count(stderr, note) != 1 {
		t.Fatalf("want the notice once, stderr:\n%s", stderr)
	}

	code, stdout, stderr := runCLI(t, "plan", "--format", "json", legacyDir+"light.env")
	if code != 0 || !strings.Contains(stdout, `"concurrency"`) || !strings.Contains(stderr, "is a legacy .env file") {
		t.Fatalf("plan light.env: exit %d\nstdout %.200s\nstderr %s", code, stdout, stderr)
	}
}

func TestBrokenLegacyEnvFailsAtItsLines(t *testing.T) {
	code, stdout, _ := runCLI(t, "validate", "--format", "json", legacyDir+"broken.env")
	if code != 1 {
		t.Fatalf("validate broken.env: exit %d, want 1", code)
	}
	for _, at := range []string{`"line": 2,`, `"line": 3,`, `"line": 4,`, `"line": 6,`} {
		if !strings.Contains(stdout, at) {
			t.Errorf("no diagnostic with %s in\n%s", at, stdout)
		}
	}
	if code, _, _ := runCLI(t, "plan", legacyDir+"broken.env"); code != 2 {
		t.Errorf("plan broken.env: exit %d, want 2 (invalid scenario)", code)
	}
}
