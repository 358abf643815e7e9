package legacy

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/trafficinator/trafficinator/scenario/internal/convert"
)

// assignmentRe is the start of a .env assignment line.
var assignmentRe = regexp.MustCompile(`^(export[ \t]+)?[A-Za-z_][A-Za-z0-9_.]*[ \t]*=`)

// Detect reports whether a file is a legacy .env file rather than a YAML
// scenario: by its name (*.env or .env*), or by its content when it holds
// no YAML mapping and its first statement is a KEY=VALUE assignment. A
// YAML mapping with an apiVersion is never taken for a .env file, whatever
// its name.
func Detect(path string, data []byte) bool {
	if _, ok := convert.YAMLVersion(data); ok {
		return false
	}
	base := filepath.Base(path)
	if strings.HasSuffix(base, ".env") || strings.HasPrefix(base, ".env") {
		return true
	}
	if convert.IsYAMLMapping(data) {
		return false
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		return assignmentRe.Match(line)
	}
	return false
}
