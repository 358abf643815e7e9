package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The README and the docs point at real files (issue 16: the README named
// a scenarios/ folder that did not exist): every relative markdown link,
// and every `examples/…`, `schema/…` or `docs/…` path in code spans,
// resolves in the repository.
func TestDocsPointAtRealFiles(t *testing.T) {
	files := []string{"../../README.md", "../../examples/README.md"}
	docs, err := filepath.Glob("../../docs/*.md")
	if err != nil || len(docs) == 0 {
		t.Fatalf("no docs: %v", err)
	}
	files = append(files, docs...)
	link := regexp.MustCompile(`\]\(([^)#\s]+)(?:#[^)]*)?\)`)
	span := regexp.MustCompile("`((?:examples|schema|docs)/[\\w./-]+)`")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(data), -1) {
			if strings.Contains(m[1], "://") || strings.HasPrefix(m[1], "mailto:") {
				continue
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(f), m[1])); err != nil {
				t.Errorf("%s links to %s, which does not exist", f, m[1])
			}
		}
		for _, m := range span.FindAllStringSubmatch(string(data), -1) {
			if _, err := os.Stat(filepath.Join("../..", m[1])); err != nil {
				t.Errorf("%s names `%s`, which does not exist", f, m[1])
			}
		}
	}
}
