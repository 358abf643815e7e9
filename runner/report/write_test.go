package report_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
)

// entries lists the names in dir, to prove no temporary file is left.
func entries(t *testing.T, dir string) string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// A write that fails half-way leaves the previous file as it was, whole,
// and no temporary file behind; a write that succeeds replaces it.
func TestWriteFileFailureKeepsThePreviousFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.json")
	r := reportFrom("w1", digestA, t0, time.Minute, named{"a", newRec()})
	if err := report.WriteJSONFile(path, r); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	boom := errors.New("disk on fire")
	// More than bufio's 4 KiB, so part of it reaches the temporary file.
	half := strings.Repeat("{", 10000)
	err := report.WriteFile(path, func(w io.Writer) error {
		if _, err := io.WriteString(w, half); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) || err.Error() != "writing "+path+": disk on fire" {
		t.Fatalf("error %v", err)
	}
	after, _ := os.ReadFile(path)
	if string(after) != string(before) {
		t.Fatalf("the previous report changed:\n%.200s", after)
	}
	if _, err := report.Decode(after); err != nil {
		t.Fatalf("the previous report is no longer valid: %v", err)
	}
	if got := entries(t, dir); got != "r.json" {
		t.Errorf("folder holds %q, want only r.json", got)
	}
	if err := report.WriteFile(path, writeString("new\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new\n" || entries(t, dir) != "r.json" {
		t.Errorf("after a good write: %q, folder %q", b, entries(t, dir))
	}
}

// A rewrite keeps the file's permissions and writes through a symbolic
// link, which stays a link; a new file is 0644.
func TestWriteFileKeepsModeAndLinks(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "new.xml")
	if err := report.WriteFile(path, writeString("a")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("new file mode %v", fi.Mode())
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.xml")
	if err := os.Symlink("new.xml", link); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteFile(link, writeString("b")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(link)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(path); string(b) != "b" {
		t.Errorf("target holds %q", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("rewritten file mode %v, want 0600", fi.Mode())
	}
	if got := entries(t, dir); got != "link.xml new.xml" {
		t.Errorf("folder holds %q", got)
	}
}

// What cannot be replaced is written in place (a device), and a folder is
// refused.
func TestWriteFileDeviceAndFolder(t *testing.T) {
	if err := report.WriteFile(os.DevNull, writeString("x")); err != nil {
		t.Errorf("%s: %v", os.DevNull, err)
	}
	dir := t.TempDir()
	if err := report.WriteFile(dir, writeString("x")); err == nil || err.Error() != "writing "+dir+": it is a directory" {
		t.Errorf("a folder: %v", err)
	}
	under := filepath.Join(dir, "file")
	if err := os.WriteFile(under, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteFile(filepath.Join(under, "r.json"), writeString("x")); err == nil || err.Error() != "writing "+filepath.Join(under, "r.json")+": not a directory" {
		t.Errorf("under a file: %v", err)
	}
}
