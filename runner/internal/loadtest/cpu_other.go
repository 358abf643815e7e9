//go:build !unix

package loadtest

import "time"

// ProcessCPU is 0 where getrusage is not available; callers skip the
// per-CPU-second metrics then.
func ProcessCPU() time.Duration { return 0 }
