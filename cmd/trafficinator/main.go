// Command trafficinator validates, plans and applies Matomo traffic scenarios.
// The CLI is thin: each command parses flags and calls into scenario/,
// runner/ and targets/, where the logic lives.
package main

import (
	"os"
	_ "time/tzdata" // timezones work on machines without zoneinfo
)

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}
