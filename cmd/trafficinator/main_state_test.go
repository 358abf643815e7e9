package main

import (
	"os"
	"testing"
)

// TestMain keeps the default journals of apply runs without --out or
// --state (docs/backfill.md#the-journal) out of the home directory.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "trafficinator-state-")
	if err != nil {
		panic(err)
	}
	if err := os.Setenv("XDG_STATE_HOME", dir); err != nil {
		panic(err)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}
