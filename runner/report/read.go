package report

import (
	"encoding/json"
	"fmt"
	"os"
)

// ReadFile reads a report written by apply --out.
func ReadFile(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s is not a report: %v", path, err)
	}
	if r.Version != Version {
		return nil, fmt.Errorf("%s: unsupported report version %q (want %s)", path, r.Version, Version)
	}
	return &r, nil
}
