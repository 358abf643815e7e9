package loadtest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Memory is what /proc/PID/status says about a process's resident memory,
// in bytes.
type Memory struct {
	RSS  int64 // VmRSS: resident now
	Peak int64 // VmHWM: the most it was resident
}

// ReadMemory reads the VmRSS and VmHWM lines of /proc/<pid>/status ("self"
// for this process). It fails where /proc is missing (not Linux).
func ReadMemory(pid string) (Memory, error) {
	f, err := os.Open("/proc/" + pid + "/status")
	if err != nil {
		return Memory{}, err
	}
	defer f.Close()
	m, err := parseStatus(f)
	if err != nil {
		return Memory{}, fmt.Errorf("/proc/%s/status: %w", pid, err)
	}
	return m, nil
}

// parseStatus reads the VmRSS and VmHWM lines of a /proc status file.
func parseStatus(r io.Reader) (Memory, error) {
	var m Memory
	found := 0
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		kb, err := parseKB(val)
		if err != nil {
			return Memory{}, fmt.Errorf("%s: %w", key, err)
		}
		if key == "VmRSS" {
			m.RSS, found = kb<<10, found|1
		} else {
			m.Peak, found = kb<<10, found|2
		}
	}
	if err := sc.Err(); err != nil {
		return Memory{}, err
	}
	if found != 3 {
		return Memory{}, errors.New("no VmRSS and VmHWM lines")
	}
	return m, nil
}

// parseKB reads "   1234 kB": a count of KiB that fits in bytes.
func parseKB(s string) (int64, error) {
	num, unit, _ := strings.Cut(strings.TrimSpace(s), " ")
	if unit != "kB" {
		return 0, fmt.Errorf("unit %q, want kB", unit)
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64>>10 {
		return 0, fmt.Errorf("size %q is not a count of KiB", num)
	}
	return n, nil
}
