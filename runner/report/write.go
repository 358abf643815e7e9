package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// WriteJSONFile writes r to path in the canonical encoding of WriteJSON,
// atomically (see WriteFile). apply --out and report merge --out use it.
func WriteJSONFile(path string, r *Report) error {
	return WriteFile(path, func(w io.Writer) error { return WriteJSON(w, r) })
}

// WriteFile writes what write produces to path so that a reader, or a
// crash, sees either the previous file whole or the new one whole, never a
// truncated mix: a report file may be the state a later --resume reads.
// The data goes to a temporary file in the same folder, which is synced,
// renamed over path, and the folder synced too so that the rename itself
// survives a power cut. On any error the previous file is left as it was
// and the temporary file is removed.
//
// A symbolic link at path is followed: its target is replaced and the link
// kept. A path that exists and is not a regular file (/dev/stdout, a pipe)
// cannot be replaced, so it is written in place.
func WriteFile(path string, write func(io.Writer) error) error {
	if err := writeFile(path, write); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func writeFile(path string, write func(io.Writer) error) error {
	target := path
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		target = resolved
	}
	mode := fs.FileMode(0o644)
	info, err := os.Stat(target)
	switch {
	case err == nil && info.IsDir():
		return errors.New("it is a directory")
	case err == nil && !info.Mode().IsRegular():
		return writeInPlace(target, write)
	case err == nil:
		mode = info.Mode().Perm() // a rewrite keeps the file's permissions
	case !errors.Is(err, fs.ErrNotExist):
		return bareError(err)
	}
	dir := filepath.Dir(target)
	f, err := os.CreateTemp(dir, "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return bareError(err)
	}
	renamed := false
	defer func() {
		if !renamed {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		return bareError(err)
	}
	for _, step := range []func() error{bw.Flush, func() error { return f.Chmod(mode) }, f.Sync, f.Close} {
		if err := step(); err != nil {
			return bareError(err)
		}
	}
	if err := os.Rename(f.Name(), target); err != nil {
		return bareError(err)
	}
	renamed = true
	return syncDir(dir)
}

// writeInPlace writes to a device or a pipe, which has no previous content
// to protect.
func writeInPlace(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return bareError(err)
	}
	bw := bufio.NewWriter(f)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return bareError(err)
}

// syncDir makes a rename in dir durable. File systems that cannot sync a
// directory say EINVAL; the rename is then as durable as they make it.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return bareError(err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("syncing its folder: %w", bareError(err))
	}
	return nil
}

// bareError drops the path of an *fs.PathError: it names the temporary
// file, while the messages name the file the user asked for.
func bareError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// WriteJSONAside writes r to a new file in the system's temporary folder
// and returns its path. It is the way out when the file asked for could
// not be written after a run: the traffic cannot be undone, so its report
// is kept somewhere rather than lost.
func WriteJSONAside(r *Report) (string, error) {
	f, err := os.CreateTemp("", "trafficinator-report-*.json")
	if err != nil {
		return "", err
	}
	path := f.Name()
	_ = f.Close()
	if err := WriteJSONFile(path, r); err != nil {
		_ = os.Remove(path)
		return "", err
	}
	return path, nil
}
