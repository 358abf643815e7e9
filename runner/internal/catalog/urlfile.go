package catalog

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/trafficinator/trafficinator/scenario"
)

// MaxURLChars is the longest page URL accepted: Matomo keeps only the first
// 1024 characters of url, so a longer one would be recorded truncated.
const MaxURLChars = scenario.MaxURLChars

// LoadURLFile reads a URL list file (see package urlfile: a regular file of
// at most scenario.MaxURLFileSize bytes, one absolute http(s) URL per line, an
// optional title after a TAB or two or more spaces). Errors name
// path:line:col and never quote the file.
func LoadURLFile(path string) ([]Page, error) {
	entries, err := scenario.LoadURLFile(path)
	return pages(entries), err
}

// ParseURLs reads a URL list in the format of LoadURLFile from r; name is
// used in error messages ("name:line:col: ...").
func ParseURLs(r io.Reader, name string) ([]Page, error) {
	entries, err := scenario.ParseURLFile(r, name)
	return pages(entries), err
}

func pages(entries []scenario.URLEntry) []Page {
	if entries == nil {
		return nil
	}
	out := make([]Page, len(entries))
	for i, e := range entries {
		out[i] = Page(e)
	}
	return out
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
		e, ok, err := scenario.ParseURLLine(entry)
		if err == nil && !ok {
			err = fmt.Errorf("blank entry or comment, want a URL")
		}
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", name, i, err)
		}
		out = append(out, Page(e))
	}
	return out, nil
}

// isHTTPURL reports whether s is an absolute http or https URL with a host.
func isHTTPURL(s string) bool { return scenario.IsHTTPURL(s) }

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
