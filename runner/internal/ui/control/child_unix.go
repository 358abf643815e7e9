//go:build !windows

package control

import (
	"os"
	"os/exec"
	"syscall"
)

// detach puts the child in a process group of its own: a Ctrl-C in the
// terminal of trafficinator ui reaches ui alone, which then stops the
// run with one SIGINT (two would be a hard stop).
func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

// interrupt is one Ctrl-C: apply's graceful stop.
func interrupt(p *os.Process) error { return p.Signal(syscall.SIGINT) }
