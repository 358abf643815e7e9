package main

import (
	"encoding/json"
	"testing"

	"github.com/trafficinator/trafficinator/runner/report"
)

func decodeDiff(s string) (*report.Diff, error) {
	var d report.Diff
	err := json.Unmarshal([]byte(s), &d)
	return &d, err
}

// compactSeed shrinks the real report for the fuzz corpus: without the
// sink statistics, preflight and features, and without indentation, it
// is a third of the size, which the fuzzing engine mutates far faster.
func compactSeed(f *testing.F, data []byte) []byte {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		f.Fatal(err)
	}
	delete(doc, "sinks")
	delete(doc, "preflight")
	for _, t := range doc["targets"].([]any) {
		delete(t.(map[string]any), "features")
	}
	out, err := json.Marshal(doc)
	if err != nil {
		f.Fatal(err)
	}
	return out
}
