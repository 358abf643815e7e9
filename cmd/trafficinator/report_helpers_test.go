package main

import (
	"encoding/json"

	"github.com/trafficinator/trafficinator/runner/report"
)

func decodeDiff(s string) (*report.Diff, error) {
	var d report.Diff
	err := json.Unmarshal([]byte(s), &d)
	return &d, err
}
