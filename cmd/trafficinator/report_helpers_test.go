package main

import (
	"encoding/json"
	"testing"

	"github.com/trafficinator/trafficinator/runner/loadtest"

	"github.com/trafficinator/trafficinator/runner/report"
)

func decodeDiff(s string) (*report.Diff, error) {
	var d report.Diff
	err := json.Unmarshal([]byte(s), &d)
	return &d, err
}

// compactSeed is loadtest.CompactReport for a fuzz corpus.
func compactSeed(f *testing.F, data []byte) []byte {
	out, err := loadtest.CompactReport(data)
	if err != nil {
		f.Fatal(err)
	}
	return out
}
