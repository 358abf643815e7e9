package urlfile

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// errorShape is every error Parse may give: the name, a position, and a
// message from a fixed set, so that no part of the input can be quoted.
var errorShape = regexp.MustCompile(`^in\.txt(:\d+(:\d+)?)?: (not valid UTF-8|not an absolute http\(s\) URL with a host|a space after the URL must be a TAB .*|URL has \d+ characters; Matomo keeps only 1024|no URLs \(only blank lines and comments\)|line longer than \d+ bytes)$`)

// FuzzParse: any input gives entries of absolute http(s) URLs or an error
// of a known shape that quotes nothing of the input, never a panic.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"https://example.com/\n",
		"# c\n\nhttps://example.com/a\tTitle\nhttps://example.com/b    Other\n",
		"https://example.com/a b\n",
		"\xef\xbb\xbfhttp://h/\r\n",
		"ftp://x\n",
		"https://example.com/\xff",
		"http://[::1]:80/x  t",
		"https://%zz/",
		"PATH=/usr/bin\x00HOME=/root\x00",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := Parse(bytes.NewReader(data), "in.txt")
		if err != nil {
			if entries != nil || !errorShape.MatchString(err.Error()) {
				t.Fatalf("error %q (entries %v) is not of a known shape", err, entries)
			}
			return
		}
		if len(entries) == 0 {
			t.Fatal("no entries and no error")
		}
		for _, e := range entries {
			if !IsHTTPURL(e.URL) || strings.ContainsAny(e.URL, " \t") || !utf8.ValidString(e.Title) {
				t.Fatalf("bad entry %+v", e)
			}
			if e.Title != strings.TrimSpace(e.Title) {
				t.Fatalf("title %q not trimmed", e.Title)
			}
		}
	})
}

// FuzzLoad goes through the file reader too: whatever the file holds, Load
// gives entries or an error that starts with the path and quotes nothing.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("https://example.com/\n"))
	f.Add([]byte(""))
	f.Add([]byte("SECRET=x\n"))
	path := filepath.Join(f.TempDir(), "in.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		entries, err := Load(path)
		if err == nil {
			if len(entries) == 0 {
				t.Fatal("no entries and no error")
			}
			return
		}
		msg, ok := strings.CutPrefix(err.Error(), path)
		if !ok || !(errorShape.MatchString("in.txt"+msg) || msg == ": is empty (or a system file that reports no size)") {
			t.Fatalf("error %q is not of a known shape", err)
		}
	})
}
