package catalog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"unicode/utf8"
)

// MaxURLChars is the longest page URL accepted: Matomo keeps only the first
// 1024 characters of url, so a longer one would be recorded truncated.
const MaxURLChars = 1024

// maxLineBytes bounds one line of a URL file.
const maxLineBytes = 1 << 20

// LoadURLFile reads a URL list file: one absolute http(s) URL per line,
// optionally followed by a title after a TAB or two or more spaces. Blank
// lines and lines starting with # are skipped. Errors name path:line.
func LoadURLFile(path string) ([]Page, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // *PathError names the file
	}
	defer f.Close()
	return ParseURLs(f, path)
}

// ParseURLs reads a URL list in the format of LoadURLFile from r; name is
// used in error messages ("name:line: ...").
func ParseURLs(r io.Reader, name string) ([]Page, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLineBytes)
	var out []Page
	n := 0
	for sc.Scan() {
		n++
		line := sc.Bytes()
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")) // UTF-8 byte order mark
		}
		p, ok, err := parseLine(string(line))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		if ok {
			out = append(out, p)
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

// PagesFromList turns an inline URL list (scenario urls.list) into pages.
// Each entry has the syntax of a URL file line; blank entries and comments
// are errors here, since a list has no reason to hold them. Errors name the
// entry as name[i].
func PagesFromList(list []string, name string) ([]Page, error) {
	if len(list) == 0 {
		return nil, fmt.Errorf("%s: no URLs", name)
	}
	out := make([]Page, 0, len(list))
	for i, entry := range list {
		p, ok, err := parseLine(entry)
		if err == nil && !ok {
			err = errors.New("blank entry or comment, want a URL")
		}
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", name, i, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// parseLine parses one line; ok is false for blank lines and comments.
func parseLine(line string) (p Page, ok bool, err error) {
	if !utf8.ValidString(line) {
		return Page{}, false, errors.New("not valid UTF-8")
	}
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "#") {
		return Page{}, false, nil
	}
	u, title := line, ""
	if i := strings.IndexAny(line, " \t"); i >= 0 {
		u, title = line[:i], line[i:]
		// The title separator is a TAB or at least two spaces, as in the
		// legacy URL validator; a single space more likely sits inside a
		// URL that should have been encoded as %20.
		if !strings.HasPrefix(title, "\t") && !strings.HasPrefix(title, "  ") {
			return Page{}, false, fmt.Errorf("%q: a space after the URL must be a TAB or two spaces before a title (a space inside a URL must be written %%20)", clip(line))
		}
		title = strings.TrimSpace(title)
	}
	if !isHTTPURL(u) {
		return Page{}, false, fmt.Errorf("%q is not an absolute http(s) URL with a host", clip(u))
	}
	if n := utf8.RuneCountInString(u); n > MaxURLChars {
		return Page{}, false, fmt.Errorf("URL has %d characters; Matomo keeps only %d", n, MaxURLChars)
	}
	return Page{URL: u, Title: title}, true, nil
}

// isHTTPURL reports whether s is an absolute http or https URL with a host.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
