package urlfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Errors give line and column and never quote the line: a URL file may be
// a mistaken path to a secret.
func TestParseErrors(t *testing.T) {
	long := "https://example.com/" + strings.Repeat("x", MaxURLChars)
	for _, c := range []struct{ in, want string }{
		{"https://example.com/\n/relative/path\n", `urls.txt:2:1: not an absolute http(s) URL with a host`},
		{"  example.com/page\n", `urls.txt:1:3: not an absolute http(s) URL with a host`},
		{"# c\n\nftp://example.com/file\n", `urls.txt:3:1: not an absolute http(s) URL with a host`},
		{"https:///no-host\n", `urls.txt:1:1: not an absolute http(s) URL with a host`},
		{"mailto:me@example.com\n", `urls.txt:1:1: not an absolute http(s) URL with a host`},
		{"https://example.com/a b\n", `urls.txt:1:22: a space after the URL must be a TAB or two spaces before a title (a space inside a URL must be written %20)`},
		{"https://example.com/\nhttps://exa mple.com/\n", `urls.txt:2:12: a space after the URL`},
		{"https://example.com/\xff\n", `urls.txt:1:1: not valid UTF-8`},
		{"https://example.com/%zz\n", `urls.txt:1:1: not an absolute http(s) URL with a host`},
		{long + "\n", "urls.txt:1:1: URL has 1044 characters; Matomo keeps only 1024"},
		{"", "urls.txt: no URLs (only blank lines and comments)"},
		{"# only a comment\n\n", "urls.txt: no URLs (only blank lines and comments)"},
		{"https://example.com/\n" + strings.Repeat("y", maxLineBytes+1), "urls.txt:2: line longer than 1048576 bytes"},
		{"SECRET=hunter2-value\n", "urls.txt:1:1: not an absolute http(s) URL with a host"},
	} {
		_, err := Parse(strings.NewReader(c.in), "urls.txt")
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Parse(%.40q) error %v, want %q", c.in, err, c.want)
		}
	}
}

func TestParse(t *testing.T) {
	in := "\xef\xbb\xbf# pages\n\nhttps://example.com/\thome\n  https://example.com/a    Page A  \r\nhttp://example.com/b\n"
	got, err := Parse(strings.NewReader(in), "u.txt")
	want := []Entry{{"https://example.com/", "home"}, {"https://example.com/a", "Page A"}, {"http://example.com/b", ""}}
	if err != nil || len(got) != len(want) {
		t.Fatalf("Parse = %q, %v", got, err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d = %q, want %q", i, got[i], want[i])
		}
	}
}

// Read takes regular files of a bounded size only, and its errors say why
// without quoting the file.
func TestReadRefuses(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.txt")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxSize + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	empty := filepath.Join(dir, "empty.txt")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ path, want string }{
		{dir, dir + ": is a directory, not a URL file"},
		{big, big + ": is larger than 32 MiB"},
		{empty, empty + ": is empty (or a system file that reports no size)"},
		{filepath.Join(dir, "missing.txt"), filepath.Join(dir, "missing.txt") + ": no such file or directory"},
		{"/dev/null", "/dev/null: is not a regular file (a device, pipe or socket)"},
		{"/proc/self/environ", "/proc/self/environ: is empty (or a system file that reports no size)"},
	}
	for _, c := range cases {
		data, err := Read(c.path)
		if err == nil || err.Error() != c.want || data != nil {
			t.Errorf("Read(%s) = %d bytes, %v; want %q", c.path, len(data), err, c.want)
		}
		if _, err := Load(c.path); err == nil || err.Error() != c.want {
			t.Errorf("Load(%s) error %v, want %q", c.path, err, c.want)
		}
	}
}
