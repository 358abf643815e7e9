package catalog

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// legacyFile renders the site map as the legacy config/urls.txt: "URL" +
// 4 spaces + title per line, with a blank line after line 2000.
func legacyFile(pages []Page) string {
	var b strings.Builder
	for i, p := range pages {
		if i == 2000 {
			b.WriteString("\n")
		}
		b.WriteString(p.URL + "    " + p.Title + "\n")
	}
	return b.String()
}

func TestBuiltinSiteMap(t *testing.T) {
	pages := Builtin()
	if len(pages) != 22000 {
		t.Fatalf("%d pages, want 22000", len(pages))
	}
	shape := regexp.MustCompile(`^https://example\.test/([a-z]+)/([a-z-]+)/([a-z-]+)-(\d{3})$`)
	perSection := map[string]int{}
	subsections := map[string]int{}
	seen := map[string]bool{}
	for _, p := range pages {
		m := shape.FindStringSubmatch(p.URL)
		if m == nil || m[2] != m[3] {
			t.Fatalf("URL %q does not have the shape https://example.test/<section>/<sub>/<sub>-NNN", p.URL)
		}
		if seen[p.URL] {
			t.Fatalf("URL %q repeated", p.URL)
		}
		seen[p.URL] = true
		n, _ := strconv.Atoi(m[4])
		if want := titleCase(m[1]) + " | " + titleCase(m[2]) + " | Page " + strconv.Itoa(n); p.Title != want {
			t.Fatalf("title of %s is %q, want %q", p.URL, p.Title, want)
		}
		perSection[m[1]]++
		subsections[m[1]+"/"+m[2]]++
	}
	if len(perSection) != 10 || len(subsections) != 70 {
		t.Errorf("%d sections and %d subsections, want 10 and 70", len(perSection), len(subsections))
	}
	for s, n := range perSection {
		if n != 2200 {
			t.Errorf("section %s has %d pages, want 2200", s, n)
		}
	}
	for _, s := range urlCatalogue() {
		if got := subsections[s.section+"/"+s.name]; got != s.pages {
			t.Errorf("%s/%s has %d pages, catalogue says %d", s.section, s.name, got, s.pages)
		}
	}
	first, last := pages[0], pages[len(pages)-1]
	if first.URL != "https://example.test/products/hardware/hardware-001" || first.Title != "Products | Hardware | Page 1" {
		t.Errorf("first page %+v", first)
	}
	if last.URL != "https://example.test/support/faq/faq-440" || last.Title != "Support | Faq | Page 440" {
		t.Errorf("last page %+v", last)
	}
	if p := pages[2000+34*400]; p.Title != "Resources | Case-Studies | Page 41" {
		t.Errorf("hyphenated title %q", p.Title)
	}
}

// TestBuiltinMatchesLegacyFile checks the site map against what is known of
// the legacy urls.txt: the line of the first URL of every subsection in
// url-catalogue.tsv, and its size, 1,909,841 bytes on 22,001 lines (the
// published file at Puttrix/Trafficinator config/urls.txt).
func TestBuiltinMatchesLegacyFile(t *testing.T) {
	file := legacyFile(Builtin())
	if len(file) != 1909841 {
		t.Errorf("legacy rendering is %d bytes, want 1909841", len(file))
	}
	lines := strings.Split(strings.TrimSuffix(file, "\n"), "\n")
	if len(lines) != 22001 || lines[2000] != "" {
		t.Fatalf("%d lines, line 2001 %q; want 22001 and a blank line 2001", len(lines), lines[2000])
	}
	for _, s := range urlCatalogue() {
		first := 1
		if s.pages == 400 {
			first = 41
		}
		want := BuiltinSite + "/" + s.section + "/" + s.name + "/" + s.name + "-" + strconv.Itoa(1000 + first)[1:]
		if got, _, _ := strings.Cut(lines[s.firstLine-1], "    "); got != want {
			t.Errorf("line %d is %q, url-catalogue.tsv says %q", s.firstLine, got, want)
		}
	}
	// The second part holds every subsection with pages 41-440 exactly once,
	// grouped by section in alphabetical order.
	seen := map[string]bool{}
	prev := ""
	for i, key := range secondPart {
		section, _, _ := strings.Cut(key, "/")
		if seen[key] || (i%5 == 0 && section <= prev) || (i%5 != 0 && section != prev) {
			t.Errorf("second part entry %d %q out of place", i, key)
		}
		seen[key], prev = true, section
	}
	for _, s := range urlCatalogue() {
		if (s.pages != 40) != seen[s.section+"/"+s.name] {
			t.Errorf("%s/%s (%d pages) wrongly in or out of the second part", s.section, s.name, s.pages)
		}
	}
}

func TestTitleCase(t *testing.T) {
	for in, want := range map[string]string{"products": "Products", "case-studies": "Case-Studies", "knowledge-base": "Knowledge-Base", "": "", "a--b": "A--B"} {
		if got := titleCase(in); got != want {
			t.Errorf("titleCase(%q) = %q, want %q", in, got, want)
		}
	}
}
