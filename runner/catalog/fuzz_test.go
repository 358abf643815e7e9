package catalog

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseURLs: any input gives pages of absolute http(s) URLs or an error
// that names the input, never a panic.
func FuzzParseURLs(f *testing.F) {
	for _, s := range []string{
		"https://example.com/\n",
		"# c\n\nhttps://example.com/a\tTitle\nhttps://example.com/b    Other\n",
		"https://example.com/a b\n",
		"\xef\xbb\xbfhttp://h/\r\n",
		"ftp://x\n",
		"https://example.com/\xff",
		"http://[::1]:80/x  t",
		"https://%zz/",
		"",
	} {
		f.Add([]byte(s))
	}
	lineRef := regexp.MustCompile(`^in\.txt(:\d+)?: `)
	f.Fuzz(func(t *testing.T, data []byte) {
		pages, err := ParseURLs(bytes.NewReader(data), "in.txt")
		if err != nil {
			if pages != nil || !lineRef.MatchString(err.Error()) {
				t.Fatalf("error %q (pages %v) does not name the input", err, pages)
			}
			return
		}
		if len(pages) == 0 {
			t.Fatal("no pages and no error")
		}
		for _, p := range pages {
			if !isHTTPURL(p.URL) || strings.ContainsAny(p.URL, " \t") || !utf8.ValidString(p.Title) {
				t.Fatalf("bad page %+v", p)
			}
			if p.Title != strings.TrimSpace(p.Title) {
				t.Fatalf("title %q not trimmed", p.Title)
			}
		}
	})
}
