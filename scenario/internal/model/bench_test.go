package model

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeScenarioDir fills dir with n variants of the reference scenario:
// the names, rates, weights and policies differ, so that no two files are
// byte-identical.
func writeScenarioDir(tb testing.TB, dir string, n int) {
	tb.Helper()
	ref, err := os.ReadFile("../../../examples/reference.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		s := string(ref)
		s = strings.Replace(s, "name: peak-week-eu-us", fmt.Sprintf("name: variant-%04d", i), 1)
		s = strings.Replace(s, "rate: 20000/day", fmt.Sprintf("rate: %d/day", 1000+i), 1)
		s = strings.Replace(s, "weight: 3", fmt.Sprintf("weight: %d", 1+i%7), 1)
		s = strings.Replace(s, "when: p95_ms > 800", fmt.Sprintf("when: p95_ms > %d", 100+i), 1)
		s = strings.Replace(s, "- name: checkout", fmt.Sprintf("- name: checkout-%d", i), 1)
		sub := filepath.Join(dir, fmt.Sprintf("team-%d", i%10))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("scenario-%04d.yaml", i)), []byte(s), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkValidateDir1000 is `trafficinator validate DIR` on 1,000
// scenario files, minus the printing; the target is under 2 s per op.
func BenchmarkValidateDir1000(b *testing.B) {
	dir := b.TempDir()
	writeScenarioDir(b, dir, 1000)
	opts := testOptions(nil)
	b.ResetTimer()
	for b.Loop() {
		results, err := LoadPaths([]string{dir}, opts)
		if err != nil || len(results) != 1000 {
			b.Fatalf("%d results, %v", len(results), err)
		}
		for _, r := range results {
			if !r.Valid() {
				b.Fatalf("%s:%s", r.Source.File, dump(r.Diags))
			}
		}
	}
}

// BenchmarkLoadReference is one file, for profiling the loader.
func BenchmarkLoadReference(b *testing.B) {
	data, err := os.ReadFile("../../../examples/reference.yaml")
	if err != nil {
		b.Fatal(err)
	}
	opts := testOptions(nil)
	for b.Loop() {
		if r := Load("reference.yaml", data, opts); !r.Valid() {
			b.Fatal(dump(r.Diags))
		}
	}
}
