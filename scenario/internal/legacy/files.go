package legacy

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/trafficinator/trafficinator/scenario/internal/urlfile"
)

// Size bounds of the side files: a funnel file is small; a URL list holds
// tens of thousands of lines (the legacy one had 22,000).
const (
	maxFunnelsSize = 4 << 20
	maxURLsSize    = urlfile.MaxSize // what validate and the run accept
)

// errTooLarge marks a side file beyond its bound.
var errTooLarge = errors.New("file is too large")

// readSide reads a side file with opts.ReadFile, or from disk: only a
// regular file (never a FIFO or a device, which could block or never
// end), and at most limit bytes.
func (m *migration) readSide(path string, limit int64) ([]byte, error) {
	if m.opts.ReadFile != nil {
		data, err := m.opts.ReadFile(path)
		if err == nil && int64(len(data)) > limit {
			return nil, errTooLarge
		}
		return data, err
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errTooLarge
	}
	return data, nil
}

// readURLFile reads a URL list with opts.ReadFile, or from disk under the
// rules of the scenario's own reader (urlfile.Read): a regular file that
// reports its size, of at most urlfile.MaxSize bytes. A kernel file such as
// /proc/self/environ is refused before a line of it could be quoted.
func (m *migration) readURLFile(path string) ([]byte, error) {
	if m.opts.ReadFile != nil {
		return m.readSide(path, maxURLsSize)
	}
	return urlfile.Read(path)
}

// sidePath resolves a path written in the .env: relative paths are
// relative to the .env file's directory, as the legacy README had them.
func (m *migration) sidePath(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(filepath.Dir(m.file), p)
}

// outPath writes path relative to the directory the scenario will be read
// from, so that the scenario finds the file wherever it is saved.
func (m *migration) outPath(path string) string {
	dir := m.opts.OutDir
	if dir == "" {
		dir = filepath.Dir(m.file)
	}
	if filepath.IsAbs(path) != filepath.IsAbs(dir) {
		a, err1 := filepath.Abs(path)
		d, err2 := filepath.Abs(dir)
		if err1 != nil || err2 != nil {
			return filepath.ToSlash(path)
		}
		path, dir = a, d
	}
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(rel)
}

func notExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// errText is an error message without the path, which the diagnostic
// names already.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var ue *urlfile.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}
