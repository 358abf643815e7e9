//go:build unix

package loadtest

import (
	"syscall"
	"time"
)

// ProcessCPU is the CPU time (user and system) this process has used. On
// a shared machine wall-time rates fall with other processes' load; work
// per CPU second does not.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
