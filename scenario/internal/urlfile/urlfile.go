// Package urlfile reads URL list files (traffic.urls.file): one absolute
// http(s) URL per line, an optional title after a TAB or two spaces. It is
// the one reader of such files, used by validate (scenario), plan and the
// run (runner/catalog), so that a list that validates also runs.
//
// A URL file is user input that may be any path: a mistaken one can name a
// secret (/proc/self/environ, ~/.netrc) or a device. So the reader takes
// regular files only, of at most MaxSize bytes, and no error message ever
// quotes what it read: errors name the file, the line and the column.
package urlfile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"unicode/utf8"
)

// MaxSize bounds a URL file: 32 MiB is some 300,000 URLs of 100
// characters, fifteen times the built-in site map.
const MaxSize = 32 << 20

// MaxURLChars is the longest page URL accepted: Matomo keeps only the first
// 1024 characters of url, so a longer one would be recorded truncated.
const MaxURLChars = 1024

// maxLineBytes bounds one line.
const maxLineBytes = 1 << 20

// Entry is one page of a list.
type Entry struct {
	URL   string
	Title string
}

// Load reads and parses the URL file at path.
func Load(path string) ([]Entry, error) {
	data, err := Read(path)
	if err != nil {
		return nil, err
	}
	return Parse(bytes.NewReader(data), path)
}

// Read returns the bytes of the URL file at path. It refuses what is not a
// regular file (a directory, a device, a pipe), a file larger than
// MaxSize, and a file that reports a size of 0, which is either empty or
// a kernel file such as /proc/self/environ. Errors start with path.
func Read(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, readError(path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, readError(path, err)
	}
	switch {
	case info.IsDir():
		return nil, readError(path, errors.New("is a directory, not a URL file"))
	case !info.Mode().IsRegular():
		return nil, readError(path, errors.New("is not a regular file (a device, pipe or socket)"))
	case info.Size() > MaxSize:
		return nil, readError(path, fmt.Errorf("is larger than %d MiB", MaxSize>>20))
	case info.Size() == 0:
		return nil, readError(path, errors.New("is empty (or a system file that reports no size)"))
	}
	// Read no more than the size it reported (plus one byte to notice a
	// file that grew): a file cannot make the reader allocate more.
	data, err := io.ReadAll(io.LimitReader(f, info.Size()+1))
	if err != nil {
		return nil, readError(path, err)
	}
	if int64(len(data)) > info.Size() {
		return nil, readError(path, errors.New("changed while it was read"))
	}
	return data, nil
}

// Error is a failure to read a URL file: "PATH: reason".
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return e.Path + ": " + e.Err.Error() }

// Unwrap gives errors.Is access to the cause (fs.ErrNotExist, …).
func (e *Error) Unwrap() error { return e.Err }

func readError(path string, err error) error { return &Error{Path: path, Err: pathCause(err)} }

// pathCause drops the *PathError wrapper, whose text repeats the path.
func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Parse reads a URL list in the format of Load from r; name starts every
// error ("name:line:col: ..."). Blank lines and lines starting with # are
// skipped; a list without any URL is an error.
func Parse(r io.Reader, name string) ([]Entry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLineBytes)
	var out []Entry
	n := 0
	for sc.Scan() {
		n++
		line := sc.Bytes()
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")) // UTF-8 byte order mark
		}
		e, ok, col, err := parseLine(string(line))
		if err != nil {
			return nil, fmt.Errorf("%s:%d:%d: %w", name, n, col, err)
		}
		if ok {
			out = append(out, e)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("%s:%d: line longer than %d bytes", name, n+1, maxLineBytes)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no URLs (only blank lines and comments)", name)
	}
	return out, nil
}

// ParseLine parses one entry; ok is false for blank lines and comments.
// Its errors do not quote the line.
func ParseLine(line string) (e Entry, ok bool, err error) {
	e, ok, _, err = parseLine(line)
	return e, ok, err
}

// CheckLine checks one line of a list as Parse does, for callers that
// report every bad line: ok is false for blank lines and comments, and col
// is the 1-based byte column of an error.
func CheckLine(line string) (ok bool, col int, err error) {
	_, ok, col, err = parseLine(line)
	return ok, col, err
}

// parseLine parses one line; col is the 1-based byte column of an error.
func parseLine(line string) (e Entry, ok bool, col int, err error) {
	trimmed := strings.TrimSpace(line)
	if trimmed == "" || strings.HasPrefix(trimmed, "#") {
		return Entry{}, false, 0, nil // a comment may hold any bytes
	}
	col = strings.Index(line, trimmed) + 1
	if !utf8.ValidString(trimmed) {
		return Entry{}, false, col, errors.New("not valid UTF-8")
	}
	u, title := trimmed, ""
	if i := strings.IndexAny(trimmed, " \t"); i >= 0 {
		u, title = trimmed[:i], trimmed[i:]
		// The title separator is a TAB or at least two spaces, as in the
		// legacy URL validator; a single space more likely sits inside a
		// URL that should have been encoded as %20.
		if !strings.HasPrefix(title, "\t") && !strings.HasPrefix(title, "  ") {
			return Entry{}, false, col + i, errors.New("a space after the URL must be a TAB or two spaces before a title (a space inside a URL must be written %20)")
		}
		title = strings.TrimSpace(title)
	}
	if !IsHTTPURL(u) {
		return Entry{}, false, col, errors.New("not an absolute http(s) URL with a host")
	}
	if n := utf8.RuneCountInString(u); n > MaxURLChars {
		return Entry{}, false, col, fmt.Errorf("URL has %d characters; Matomo keeps only %d", n, MaxURLChars)
	}
	return Entry{URL: u, Title: title}, true, 0, nil
}

// IsHTTPURL reports whether s is an absolute http or https URL with a host.
func IsHTTPURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}
