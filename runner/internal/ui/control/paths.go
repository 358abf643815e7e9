package control

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// errOutside is a path from a request that is not a file inside its
// folder: absolute, with "..", or a symlink that leads out.
var errOutside = errors.New("not a file inside the folder")

// errNoFile is a path inside the folder where no regular file is.
var errNoFile = errors.New("no such file")

// folder is a root that paths from requests are resolved against.
type folder struct {
	abs  string // absolute, as given
	root string // absolute, symlinks resolved
}

func newFolder(dir string) (folder, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return folder{}, err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return folder{}, err
	}
	return folder{abs: abs, root: real}, nil
}

// resolve returns the real path of the regular file rel names inside the
// folder, or errOutside. rel is slash-separated, as the page writes it.
func (f folder) resolve(rel string) (string, error) {
	if rel == "" || strings.ContainsAny(rel, "\x00\\") || !filepath.IsLocal(filepath.FromSlash(rel)) {
		return "", fmt.Errorf("%q: %w", rel, errOutside)
	}
	real, err := filepath.EvalSymlinks(filepath.Join(f.root, filepath.FromSlash(rel)))
	if err != nil {
		return "", fmt.Errorf("%q: %w", rel, errNoFile)
	}
	if !f.contains(real) {
		return "", fmt.Errorf("%q: %w", rel, errOutside)
	}
	st, err := os.Stat(real)
	if err != nil || !st.Mode().IsRegular() {
		return "", fmt.Errorf("%q: %w", rel, errNoFile)
	}
	return real, nil
}

// contains says whether the real path p is inside the folder.
func (f folder) contains(p string) bool {
	rel, err := filepath.Rel(f.root, p)
	return err == nil && filepath.IsLocal(rel)
}

// rel is the slash-separated name of p (a path under the folder, as a
// directory walk gives it) relative to the folder, or "" when it is not
// under it. It is lexical: resolve decides whether the name is served.
func (f folder) rel(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return ""
	}
	for _, root := range []string{f.abs, f.root} {
		if r, err := filepath.Rel(root, abs); err == nil && filepath.IsLocal(r) {
			return filepath.ToSlash(r)
		}
	}
	return ""
}
