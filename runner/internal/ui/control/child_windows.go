package control

import (
	"os"
	"os/exec"
)

func detach(*exec.Cmd) {}

// interrupt ends the child: Windows has no SIGINT to send to another
// process, so a run stopped from the page ends without its report there.
func interrupt(p *os.Process) error { return p.Kill() }
