package report

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// NamedPath is a file a command reads or writes, with what named it, for
// messages: a flag ("--out") or a role ("the scenario file").
type NamedPath struct {
	Name string
	Path string
	// Continues, on an output, names the input it may be: a journal
	// (--state) goes on in the file it resumes (--resume).
	Continues string
}

// CheckOutputs is run before any traffic, so that a report is never lost
// after the run: every output must be a file that WriteFile can replace
// (its folder exists and takes a new file, it is not a directory), and no
// output may be one of the inputs or another output (compared as absolute
// paths with symbolic links resolved, and as the same file for existing
// ones, which catches hard links). Outputs and inputs with an empty Path
// are skipped. The error lists every problem.
func CheckOutputs(outputs, inputs []NamedPath) error {
	outputs, inputs = nonEmpty(outputs), nonEmpty(inputs)
	var errs []error
	for i, out := range outputs {
		clash := false
		for _, in := range inputs {
			if out.Continues != in.Name && sameFile(out.Path, in.Path) {
				errs = append(errs, fmt.Errorf("%s %s is %s %s: refusing to overwrite an input, write the output elsewhere", out.Name, out.Path, in.Name, in.Path))
				clash = true
			}
		}
		for _, other := range outputs[:i] {
			if sameFile(out.Path, other.Path) {
				errs = append(errs, fmt.Errorf("%s %s is the file of %s %s: give each output its own file", out.Name, out.Path, other.Name, other.Path))
				clash = true
			}
		}
		if !clash {
			if err := probeOutput(out.Path); err != nil {
				errs = append(errs, fmt.Errorf("%s %s: %w", out.Name, out.Path, err))
			}
		}
	}
	return errors.Join(errs...)
}

func nonEmpty(paths []NamedPath) []NamedPath {
	var out []NamedPath
	for _, p := range paths {
		if p.Path != "" {
			out = append(out, p)
		}
	}
	return out
}

// probeOutput checks that path can be written the way WriteFile writes it,
// by creating and removing a file beside it: this finds a missing folder,
// a path under a regular file, a read-only file system and missing
// permissions alike, whatever the platform.
func probeOutput(path string) error {
	target := path
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		target = resolved
	}
	info, err := os.Stat(target)
	switch {
	case err == nil && info.IsDir():
		return errors.New("is a directory, want a file path")
	case err == nil && !info.Mode().IsRegular():
		return nil // a device or a pipe (/dev/stdout): written in place
	}
	dir := filepath.Dir(target)
	if info, err := os.Stat(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("the folder %s does not exist", dir)
		}
		return fmt.Errorf("cannot use the folder %s: %w", dir, bareError(err))
	} else if !info.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(target)+".*.check")
	if err != nil {
		return fmt.Errorf("cannot write in the folder %s: %w", dir, bareError(err))
	}
	_ = f.Close()
	if err := os.Remove(f.Name()); err != nil {
		return fmt.Errorf("cannot replace files in the folder %s: %w", dir, bareError(err))
	}
	return nil
}

// sameFile reports whether a and b name one file: the same existing file
// (through links of any kind), or the same absolute path once the links
// of their folders are resolved.
func sameFile(a, b string) bool {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(ia, ib)
	}
	return canonical(a) == canonical(b)
}

// canonical is path made absolute and clean, with the symbolic links of
// its longest existing prefix resolved.
func canonical(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	rest := ""
	for dir := abs; ; dir = filepath.Dir(dir) {
		if resolved, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(resolved, rest)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return abs
		}
		rest = filepath.Join(filepath.Base(dir), rest)
	}
}
