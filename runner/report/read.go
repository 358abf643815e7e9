package report

import (
	"fmt"
	"os"
)

// ReadFile reads a report written by apply --out, with the strict checks of
// Decode.
func ReadFile(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}
