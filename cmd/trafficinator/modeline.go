package main

import (
	"bytes"
	"os"
	"path/filepath"

	"github.com/trafficinator/trafficinator/schema"
)

// modelinePrefix starts the comment that tells the YAML language server
// (VS Code, JetBrains) which schema a file follows (docs/editors.md).
const modelinePrefix = "# yaml-language-server: $schema="

// schemaRef is what a migrated file's modeline points at: the URL the user
// gave, or else the relative path from the file's folder to the draft-07
// schema in the nearest schema/ folder at or above it (the repository's).
// ok is false when there is neither: no modeline is better than one that
// points at nothing.
func schemaRef(url, outDir string) (ref string, ok bool) {
	if url != "" {
		return url, true
	}
	dir, err := filepath.Abs(outDir)
	if err != nil {
		return "", false
	}
	for d := dir; ; d = filepath.Dir(d) {
		candidate := filepath.Join(d, "schema", schema.ScenarioV1Draft7File)
		if info, err := os.Stat(candidate); err == nil && info.Mode().IsRegular() {
			rel, err := filepath.Rel(dir, candidate)
			if err != nil {
				return "", false
			}
			return filepath.ToSlash(rel), true
		}
		if filepath.Dir(d) == d {
			return "", false
		}
	}
}

// withModeline replaces the modeline on the first line of a scenario with
// one that points at ref, or drops it when ref is empty.
func withModeline(data []byte, ref string) []byte {
	if !bytes.HasPrefix(data, []byte(modelinePrefix)) {
		return data
	}
	rest := data[len(data):]
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		rest = data[i+1:]
	}
	if ref == "" {
		return rest
	}
	out := make([]byte, 0, len(data)+len(ref))
	out = append(out, modelinePrefix...)
	out = append(out, ref...)
	out = append(out, '\n')
	return append(out, rest...)
}
