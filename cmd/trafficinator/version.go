package main

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/schema"
)

// Set at build time by the Makefile (make build, make release):
//
//	-ldflags "-X main.version=$(git describe --tags --always --dirty) -X main.commit=$(git rev-parse HEAD)"
//
// Left empty, the version comes from the build information that the Go
// toolchain stamps into the binary (go install …@vX, or a build in a git
// checkout), see buildVersion.
var (
	version string
	commit  string
)

// versionInfo is what `version` prints: the JSON form is stable.
type versionInfo struct {
	Version string `json:"version"`
	// Source says where Version came from: "ldflags" (make build),
	// "module" (the Go toolchain: go install …@vX, or the tag or
	// pseudo-version of the checkout that go build stamps), or "none".
	Source   string          `json:"source"`
	Commit   string          `json:"commit,omitempty"`
	Modified bool            `json:"modified"`
	Go       string          `json:"go"`
	Platform string          `json:"platform"`
	Schemas  []schemaVersion `json:"schemas"`
}

// schemaVersion is one document format this binary reads and writes.
type schemaVersion struct {
	Document string `json:"document"`
	Version  string `json:"version"`
	ID       string `json:"id,omitempty"`
}

// unknownVersion is the version of a binary built without -ldflags and
// without VCS stamping (go build -buildvcs=false, a tree without .git).
const unknownVersion = "unknown"

// currentVersion describes this binary.
func currentVersion() versionInfo {
	info, _ := debug.ReadBuildInfo()
	return buildVersion(version, commit, info)
}

// buildVersion resolves the version: the -ldflags values win, then the
// main module's version from the build information, then nothing (said as
// such, never a made-up "dev"). The commit comes from -ldflags or the
// vcs.revision setting.
func buildVersion(ldVersion, ldCommit string, info *debug.BuildInfo) versionInfo {
	v := versionInfo{Version: ldVersion, Source: "ldflags", Commit: ldCommit,
		Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH, Schemas: schemaVersions()}
	if info != nil {
		if info.GoVersion != "" {
			v.Go = info.GoVersion
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				if v.Commit == "" {
					v.Commit = s.Value
				}
			case "vcs.modified":
				v.Modified = v.Modified || s.Value == "true"
			}
		}
		if v.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v.Version, v.Source = info.Main.Version, "module"
		}
	}
	if v.Version == "" {
		v.Version, v.Source = unknownVersion, "none"
	}
	v.Modified = v.Modified || strings.HasSuffix(v.Version, "-dirty") || strings.HasSuffix(v.Version, "+dirty")
	return v
}

// schemaVersions names the documents and their versions.
func schemaVersions() []schemaVersion {
	return []schemaVersion{
		{Document: "scenario", Version: scenario.APIVersion, ID: schemaID(schema.ScenarioV1())},
		{Document: "report", Version: report.Version, ID: schema.ReportV3ID},
		{Document: "plan", Version: "trafficinator/v1", ID: schema.PlanV1ID},
	}
}

// schemaID reads the $id of an embedded schema.
func schemaID(doc []byte) string {
	var s struct {
		ID string `json:"$id"`
	}
	_ = json.Unmarshal(doc, &s)
	return s.ID
}

// text is the human form: what `version` and `--version` print.
func (v versionInfo) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "trafficinator version %s (", v.Version)
	if v.Commit != "" {
		fmt.Fprintf(&b, "commit %s, ", v.Commit)
	}
	if v.Modified {
		b.WriteString("modified, ")
	}
	fmt.Fprintf(&b, "%s %s)\n", v.Go, v.Platform)
	if v.Source == "none" {
		b.WriteString("no version information: built without make build's -ldflags and without VCS stamping (go build -buildvcs=false, or outside a git checkout)\n")
	}
	var docs []string
	for _, s := range v.Schemas {
		docs = append(docs, s.Document+" "+s.Version)
	}
	fmt.Fprintf(&b, "schemas: %s\n", strings.Join(docs, ", "))
	return b.String()
}

// versionFormats are version's formats: not a report, so not in
// runner/report's registries.
type versionFormats struct{}

func (versionFormats) Names() []string { return []string{"text", "json"} }

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:      "version",
		Usage:     "print the version, commit, Go version and schema versions",
		ArgsUsage: " ",
		Flags:     []cli.Flag{formatFlag("output", versionFormats{})},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return exit(exitUsage, "version takes no arguments")
			}
			format, err := checkFormat(c, versionFormats{})
			if err != nil {
				return err
			}
			return writeVersion(c.App.Writer, format, currentVersion())
		},
	}
}

func writeVersion(w io.Writer, format string, v versionInfo) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	_, err := io.WriteString(w, v.text())
	return err
}

// --version prints what `version` prints.
func init() {
	cli.VersionPrinter = func(c *cli.Context) { _ = writeVersion(c.App.Writer, "text", currentVersion()) }
}
