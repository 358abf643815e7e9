package main

import (
	"encoding/json"
	"runtime/debug"
	"strings"
	"testing"
)

func TestBuildVersionPrefersLdflagsThenTheModule(t *testing.T) {
	stamped := func(version string, settings ...string) *debug.BuildInfo {
		info := &debug.BuildInfo{GoVersion: "go1.99.1", Main: debug.Module{Path: "github.com/trafficinator/trafficinator", Version: version}}
		for i := 0; i+1 < len(settings); i += 2 {
			info.Settings = append(info.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return info
	}
	const rev = "0123456789abcdef0123456789abcdef01234567"
	cases := []struct {
		name             string
		ldVersion, ldRev string
		info             *debug.BuildInfo
		version, source  string
		commit           string
		modified         bool
	}{
		{"make build", "v1.2.3", "fedcba", stamped("(devel)"), "v1.2.3", "ldflags", "fedcba", false},
		{"make build, dirty tree", "v1.2.3-1-gabc-dirty", "", stamped("(devel)", "vcs.revision", rev), "v1.2.3-1-gabc-dirty", "ldflags", rev, true},
		{"go install @v1.2.3", "", "", stamped("v1.2.3"), "v1.2.3", "module", "", false},
		{"go install in a tagged checkout", "", "", stamped("v1.2.3", "vcs.revision", rev, "vcs.modified", "false"), "v1.2.3", "module", rev, false},
		{"go build, edited checkout", "", "", stamped("v1.2.4-0.20260101000000-0123456789ab+dirty", "vcs.revision", rev, "vcs.modified", "true"),
			"v1.2.4-0.20260101000000-0123456789ab+dirty", "module", rev, true},
		{"go build -buildvcs=false", "", "", stamped("(devel)"), "unknown", "none", "", false},
		{"no build information", "", "", nil, "unknown", "none", "", false},
	}
	for _, c := range cases {
		v := buildVersion(c.ldVersion, c.ldRev, c.info)
		if v.Version != c.version || v.Source != c.source || v.Commit != c.commit || v.Modified != c.modified {
			t.Errorf("%s: %q %q %q %v, want %q %q %q %v", c.name, v.Version, v.Source, v.Commit, v.Modified,
				c.version, c.source, c.commit, c.modified)
		}
		if c.info != nil && v.Go != "go1.99.1" {
			t.Errorf("%s: go %q, want the toolchain of the build information", c.name, v.Go)
		}
	}
}

func TestVersionTextSaysWhatIsUnknown(t *testing.T) {
	v := buildVersion("", "", nil)
	v.Go, v.Platform = "go1.99.1", "linux/arm64"
	want := "trafficinator version unknown (go1.99.1 linux/arm64)\n" +
		"no version information: built without make build's -ldflags and without VCS stamping (go build -buildvcs=false, or outside a git checkout)\n" +
		"schemas: scenario trafficinator/v1, report trafficinator.report/v3, plan trafficinator/v1\n"
	if got := v.text(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	v = buildVersion("v1.2.3-dirty", "abc", nil)
	v.Go, v.Platform = "go1.99.1", "linux/arm64"
	if got, want := v.text(), "trafficinator version v1.2.3-dirty (commit abc, modified, go1.99.1 linux/arm64)\nschemas: "; !strings.HasPrefix(got, want) {
		t.Errorf("got %q, want it to start with %q", got, want)
	}
}

// version, version --format json and --version (of the app and of every
// command) agree.
func TestVersionCommandAndFlagAgree(t *testing.T) {
	code, text, stderr := runCLI(t, "version")
	if code != exitOK || stderr != "" || text != currentVersion().text() {
		t.Fatalf("version: exit %d %q %q", code, text, stderr)
	}
	for _, args := range [][]string{{"--version"}, {"apply", "--version"}, {"report", "diff", "--version"}} {
		if code, out, _ := runCLI(t, args...); code != exitOK || out != text {
			t.Errorf("%v: exit %d %q, want %q", args, code, out, text)
		}
	}
	code, out, _ := runCLI(t, "version", "--format", "json")
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); code != exitOK || err != nil {
		t.Fatalf("version --format json: exit %d %v\n%s", code, err, out)
	}
	for _, key := range []string{"version", "source", "modified", "go", "platform", "schemas"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("version --format json has no %q: %s", key, out)
		}
	}
	schemas, _ := json.Marshal(doc["schemas"])
	if want := `[{"document":"scenario","id":"https://trafficinator.dev/schema/scenario.v1.json","version":"trafficinator/v1"},` +
		`{"document":"report","id":"https://trafficinator.dev/schema/report.v3.json","version":"trafficinator.report/v3"},` +
		`{"document":"plan","id":"https://trafficinator.dev/schema/plan.v1.json","version":"trafficinator/v1"}]`; string(schemas) != want {
		t.Errorf("schemas %s, want %s", schemas, want)
	}
	if code, out, stderr := runCLI(t, "version", "extra"); code != exitUsage || out != "" || stderr != "trafficinator: version takes no arguments\n" {
		t.Errorf("version extra: exit %d %q %q", code, out, stderr)
	}
}
