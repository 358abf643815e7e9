package main

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/trafficinator/trafficinator/"

// contracts are the packages outside any internal/ folder: the CLI and
// what it promises to other code (docs/architecture.md). A new public
// package is a decision, made here.
var contracts = []string{
	"cmd/trafficinator",
	"runner",
	"runner/report",
	"scenario",
	"schema",
	"targets",
	"targets/kind",
}

// mustNotImport says which top-level folders a folder's packages (and
// their tests) never import: data flows file → scenario → plan → runner →
// targets → report, and the CLI is imported by nobody.
var mustNotImport = map[string][]string{
	"scenario": {"runner", "targets", "cmd"},
	"schema":   {"runner", "targets", "cmd"},
	"targets":  {"scenario", "runner", "cmd"},
	"runner":   {"cmd"},
}

// modulePackages returns every package of the module, by path relative
// to the module, with its imports (tests included).
func modulePackages(t *testing.T) map[string][]string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	pkgs := map[string][]string{}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			return nil
		}
		p, err := build.ImportDir(path, build.ImportComment)
		if err != nil {
			if _, ok := err.(*build.NoGoError); ok {
				return nil
			}
			t.Errorf("%s: %v", path, err)
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		var imports []string
		for _, i := range slices.Concat(p.Imports, p.TestImports, p.XTestImports) {
			if r, ok := strings.CutPrefix(i, module); ok {
				imports = append(imports, r)
			}
		}
		pkgs[filepath.ToSlash(rel)] = imports
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

// topFolders are the product's top-level folders of Go code, fixed by its
// design; internal/ folders live inside them, never beside them.
var topFolders = []string{"cmd", "runner", "scenario", "schema", "targets"}

func TestPublicPackagesAreTheContracts(t *testing.T) {
	var public []string
	for p := range modulePackages(t) {
		if top, _, _ := strings.Cut(p, "/"); !slices.Contains(topFolders, top) {
			t.Errorf("package %s is outside the top-level folders %v", p, topFolders)
		}
		if !slices.Contains(strings.Split(p, "/"), "internal") {
			public = append(public, p)
		}
	}
	slices.Sort(public)
	if !slices.Equal(public, contracts) {
		t.Errorf("packages outside internal/: %v, want %v", public, contracts)
	}
}

func TestImportsFollowTheDataFlow(t *testing.T) {
	for p, imports := range modulePackages(t) {
		top, _, _ := strings.Cut(p, "/")
		for _, i := range imports {
			itop, _, _ := strings.Cut(i, "/")
			if slices.Contains(mustNotImport[top], itop) {
				t.Errorf("%s imports %s: %s/ never imports %s/", p, i, top, itop)
			}
		}
	}
}
