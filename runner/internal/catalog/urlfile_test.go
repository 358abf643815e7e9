package catalog

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseURLs(t *testing.T) {
	in := "\xef\xbb\xbf# legacy-style list\r\n" +
		"https://example.com/\r\n" +
		"\n" +
		"   \t\n" +
		"https://example.com/pricing\tPricing | Example\n" +
		"  https://example.com/a?x=1#top    About   us  \n" +
		"HTTP://EXAMPLE.COM:8080/b\n" +
		"# https://example.com/commented-out\n" +
		"https://example.com/c  Title with  two  spaces"
	got, err := ParseURLs(strings.NewReader(in), "urls.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := []Page{
		{URL: "https://example.com/"},
		{URL: "https://example.com/pricing", Title: "Pricing | Example"},
		{URL: "https://example.com/a?x=1#top", Title: "About   us"},
		{URL: "HTTP://EXAMPLE.COM:8080/b"},
		{URL: "https://example.com/c", Title: "Title with  two  spaces"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestLoadURLFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "urls.txt")
	if err := os.WriteFile(path, []byte("https://shop.example.com/\tHome\nnot a url\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadURLFile(path)
	if err == nil || err.Error() != path+`:2:4: a space after the URL must be a TAB or two spaces before a title (a space inside a URL must be written %20)` {
		t.Errorf("error %v", err)
	}
	if err := os.WriteFile(path, []byte("https://shop.example.com/\tHome\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pages, err := LoadURLFile(path)
	if err != nil || len(pages) != 1 || pages[0] != (Page{"https://shop.example.com/", "Home"}) {
		t.Errorf("LoadURLFile = %v, %v", pages, err)
	}
	if _, err := LoadURLFile(filepath.Join(dir, "missing.txt")); err == nil || !strings.Contains(err.Error(), "missing.txt") {
		t.Errorf("missing file: error %v", err)
	}
}

func TestPagesFromList(t *testing.T) {
	pages, err := PagesFromList([]string{"https://example.com/", "https://example.com/pricing\tPricing"}, "traffic.urls.list")
	want := []Page{{URL: "https://example.com/"}, {URL: "https://example.com/pricing", Title: "Pricing"}}
	if err != nil || !reflect.DeepEqual(pages, want) {
		t.Errorf("PagesFromList = %q, %v", pages, err)
	}
	for _, c := range []struct {
		list []string
		want string
	}{
		{nil, "traffic.urls.list: no URLs"},
		{[]string{"https://example.com/", "/relative"}, `traffic.urls.list[1]: not an absolute http(s) URL with a host`},
		{[]string{""}, "traffic.urls.list[0]: blank entry or comment, want a URL"},
		{[]string{"# comment"}, "traffic.urls.list[0]: blank entry or comment, want a URL"},
	} {
		if _, err := PagesFromList(c.list, "traffic.urls.list"); err == nil || err.Error() != c.want {
			t.Errorf("PagesFromList(%q) error %v, want %q", c.list, err, c.want)
		}
	}
}

func TestRebase(t *testing.T) {
	pages := []Page{
		{URL: "https://example.test/products/hardware/hardware-001", Title: "Products | Hardware | Page 1"},
		{URL: "http://other.example:81/a?q=1#f", Title: "A"},
		{URL: "https://example.test", Title: "Root"},
		{URL: "https://example.test?x=1", Title: "Query"},
	}
	for _, c := range []struct {
		site string
		want []string
	}{
		{"https://shop.example.com", []string{
			"https://shop.example.com/products/hardware/hardware-001", "https://shop.example.com/a?q=1#f",
			"https://shop.example.com/", "https://shop.example.com/?x=1"}},
		{"HTTP://shop.example.com:8443/store/", []string{
			"http://shop.example.com:8443/store/products/hardware/hardware-001", "http://shop.example.com:8443/store/a?q=1#f",
			"http://shop.example.com:8443/store/", "http://shop.example.com:8443/store/?x=1"}},
	} {
		got, err := Rebase(pages, c.site)
		if err != nil {
			t.Fatalf("Rebase(%q): %v", c.site, err)
		}
		for i := range got {
			if got[i].URL != c.want[i] || got[i].Title != pages[i].Title {
				t.Errorf("Rebase(%q)[%d] = %+v, want URL %q", c.site, i, got[i], c.want[i])
			}
		}
	}
	if pages[0].URL != "https://example.test/products/hardware/hardware-001" {
		t.Error("Rebase modified its input")
	}
	for _, site := range []string{"", "shop.example.com", "ftp://shop.example.com", "https://shop.example.com/?a=1", "https://u:p@shop.example.com", "https://shop.example.com/#x"} {
		if _, err := Rebase(pages, site); err == nil {
			t.Errorf("Rebase(%q) accepted", site)
		}
	}
	b, err := Rebase(Builtin(), "https://www.example.org")
	if err != nil || len(b) != 22000 || b[21999].URL != "https://www.example.org/support/faq/faq-440" {
		t.Errorf("rebased built-in map: %d pages, last %+v, %v", len(b), b[len(b)-1], err)
	}
	long := "https://example.com/" + strings.Repeat("p", 1000)
	if _, err := Rebase([]Page{{URL: long}}, "https://example.com/a-much-longer-base-path"); err == nil {
		t.Error("Rebase made a URL longer than 1024 characters without an error")
	}
}

func TestOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.test/a/b": "https://example.test", "http://h:8080?x": "http://h:8080",
		"https://h#f": "https://h", "https://h": "https://h", "/relative": "", "": "",
	} {
		if got := Origin(in); got != want {
			t.Errorf("Origin(%q) = %q, want %q", in, got, want)
		}
	}
}
