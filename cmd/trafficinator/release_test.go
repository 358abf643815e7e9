package main

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// releasePlatforms are the six binaries of a release.
var releasePlatforms = []string{"linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64", "windows_arm64"}

// make release builds six static binaries with the version in their
// names and ldflags, then SHA256SUMS over exactly those. Building them
// takes minutes on two cores, so the test reads the commands make would
// run (make -n): each build once, static, without build paths, stripped.
func TestMakeReleaseBuildsSixBinariesAndSums(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	dist := filepath.Join(t.TempDir(), "dist")
	cmd := exec.Command("make", "--no-print-directory", "-n", "release", "GO=go", "VERSION=v1.2.3", "COMMIT=abc1234", "DIST="+dist, "SHA256=sha256sum")
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make -n release: %v\n%s", err, out)
	}
	script := strings.ReplaceAll(string(out), "\\\n\t", "")
	builds := regexp.MustCompile(`(?m)^CGO_ENABLED=0 GOOS=(\w+) GOARCH=(\w+) +go build -trimpath -ldflags "-s -w -X main\.version=v1\.2\.3 -X main\.commit=abc1234" -o (\S+) \./cmd/trafficinator$`).
		FindAllStringSubmatch(script, -1)
	if len(builds) != len(releasePlatforms) {
		t.Fatalf("%d builds, want %d:\n%s", len(builds), len(releasePlatforms), script)
	}
	var names []string
	for i, b := range builds {
		name := "trafficinator_v1.2.3_" + releasePlatforms[i]
		if b[1] == "windows" {
			name += ".exe"
		}
		if b[1]+"_"+b[2] != releasePlatforms[i] || b[3] != filepath.Join(dist, name) {
			t.Errorf("build %d: %s/%s -o %s, want %s", i, b[1], b[2], b[3], name)
		}
		names = append(names, name)
	}
	sums := "cd " + dist + " && sha256sum " + strings.Join(names, " ") + " > SHA256SUMS\n"
	if !strings.HasSuffix(script, sums) {
		t.Errorf("the sums are not computed last over the six binaries:\n%s", script)
	}
}

// The Dockerfile copies the linux binary that make release names, into a
// base without a shell, runs it as a non-root user and has it as its
// entrypoint; .ci/run builds it only where a container engine answers.
// The LICENSE is Apache-2.0's text.
func TestDockerfileUsesTheReleaseBinary(t *testing.T) {
	docker := string(mustRead(t, "../../Dockerfile"))
	for _, line := range []string{
		"FROM gcr.io/distroless/static-debian12:nonroot\n",
		"COPY dist/trafficinator_${VERSION}_linux_${TARGETARCH} /trafficinator\n",
		"USER 65532:65532\n",
		`ENTRYPOINT ["/trafficinator"]` + "\n",
	} {
		if !strings.Contains(docker, "\n"+line) {
			t.Errorf("Dockerfile lacks %q", line)
		}
	}
	if regexp.MustCompile(`(?m)^RUN `).MatchString(docker) {
		t.Error("the Dockerfile runs commands: it must build offline from dist/")
	}
	ci := string(mustRead(t, "../../.ci/run"))
	for _, want := range []string{
		"if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then\n",
		`make VERSION="$version" "dist/trafficinator_${version}_linux_${arch}"` + "\n",
		`docker run --rm "trafficinator:ci-$version" version` + "\n",
		"echo \"container: skipped, ",
	} {
		if !strings.Contains(ci, want) {
			t.Errorf(".ci/run lacks %q", want)
		}
	}
	ignore := string(mustRead(t, "../../.dockerignore"))
	if !strings.Contains(ignore, "\n*\n!dist/trafficinator_*_linux_*\n") {
		t.Errorf(".dockerignore:\n%s", ignore)
	}
	license := string(mustRead(t, "../../LICENSE"))
	for _, want := range []string{"Apache License\n", "Version 2.0, January 2004\n", "END OF TERMS AND CONDITIONS\n"} {
		if !strings.Contains(license, want) {
			t.Errorf("LICENSE lacks %q", want)
		}
	}
}
