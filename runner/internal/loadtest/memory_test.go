package loadtest

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

func TestReadMemory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc")
	}
	m, err := ReadMemory("self")
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS <= 0 || m.Peak < m.RSS {
		t.Fatalf("%+v: want 0 < RSS <= peak", m)
	}
	if _, err := ReadMemory("0"); err == nil || !os.IsNotExist(err) {
		t.Errorf("pid 0: %v, want not exist", err)
	}
}

func TestParseKB(t *testing.T) {
	for in, want := range map[string]int64{"   1234 kB": 1234, "0 kB": 0} {
		if got, err := parseKB(in); err != nil || got != want {
			t.Errorf("parseKB(%q) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"12 MB", "kB", "x kB", ""} {
		if _, err := parseKB(in); err == nil {
			t.Errorf("parseKB(%q) accepted", in)
		}
	}
}

func TestParseStatus(t *testing.T) {
	m, err := parseStatus(strings.NewReader("Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\nThreads:\t4\n"))
	if err != nil || m != (Memory{RSS: 1 << 20, Peak: 2 << 20}) {
		t.Fatalf("%+v, %v", m, err)
	}
	for _, in := range []string{"", "VmRSS:\t1 kB\n", "VmRSS:\t1 kB\nVmRSS:\t1 kB\n", "VmRSS:\t1 kB\nVmHWM:\t-1 kB\n", "VmRSS:\t1 kB\nVmHWM:\t99999999999999999 kB\n"} {
		if _, err := parseStatus(strings.NewReader(in)); err == nil {
			t.Errorf("parseStatus(%q) accepted", in)
		}
	}
}

// FuzzParseStatus: any status text gives sizes that are not negative, or
// an error; never a panic.
func FuzzParseStatus(f *testing.F) {
	f.Add("VmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n")
	f.Add("VmRSS: 9223372036854775807 kB\nVmHWM: 1 kB\n")
	f.Add("VmRSS:\n")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := parseStatus(strings.NewReader(s))
		if err == nil && (m.RSS < 0 || m.Peak < 0) {
			t.Fatalf("%q: %+v", s, m)
		}
	})
}
