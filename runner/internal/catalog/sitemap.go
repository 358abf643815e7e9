package catalog

import (
	"strconv"
	"strings"
	"sync"
)

// Page is one page of a site: an absolute http(s) URL and its title (empty
// when a URL list gave none).
type Page struct {
	URL   string
	Title string
}

// BuiltinSite is the origin of the built-in site map.
const BuiltinSite = "https://example.test"

// builtinCount is the number of pages of the built-in site map.
const builtinCount = 22000

// subsection is one row of data/url-catalogue.tsv.
type subsection struct {
	section, name string
	pages         int // 40, 400 or 440
	firstLine     int // line of its first URL in the legacy urls.txt
}

// The legacy urls.txt has two parts: lines 1-2000 hold 50 subsections x 40
// pages (001-040) in catalogue order, then a blank line, then lines
// 2002-22001 hold 50 subsections x 400 pages (041-440). The second part
// goes section by section in alphabetical order, but the order of the
// subsections inside a section is not in the catalogue; this is the order
// of the published file (Puttrix/Trafficinator config/urls.txt), checked
// against every first_line_no of the catalogue by the tests.
var secondPart = [...]string{
	"blog/tutorials", "blog/announcements", "blog/guides", "blog/reviews", "blog/insights",
	"community/forums", "community/events", "community/meetups", "community/feedback", "community/showcase",
	"company/about", "company/careers", "company/leadership", "company/history", "company/contact",
	"documentation/api", "documentation/guides", "documentation/examples", "documentation/reference", "documentation/tutorials",
	"news/releases", "news/updates", "news/press", "news/media", "news/industry",
	"products/hardware", "products/software", "products/accessories", "products/bundles", "products/enterprise",
	"resources/downloads", "resources/templates", "resources/tools", "resources/whitepapers", "resources/case-studies",
	"services/consulting", "services/training", "services/implementation", "services/maintenance", "services/custom",
	"solutions/enterprise", "solutions/startups", "solutions/government", "solutions/education", "solutions/healthcare",
	"support/documentation", "support/tickets", "support/knowledge-base", "support/troubleshooting", "support/faq",
}

// urlCatalogue reads data/url-catalogue.tsv.
var urlCatalogue = sync.OnceValue(func() []subsection {
	var out []subsection
	for _, r := range rows("url-catalogue.tsv", true, 4) {
		n, err1 := strconv.Atoi(r.fields[2])
		first, err2 := strconv.Atoi(r.fields[3])
		if err1 != nil || err2 != nil || (n != 40 && n != 400 && n != 440) {
			panic(dataError("url-catalogue.tsv", r.line, "bad page count or line number"))
		}
		out = append(out, subsection{section: r.fields[0], name: r.fields[1], pages: n, firstLine: first})
	}
	return out
})

// Builtin returns the built-in site map: the 22,000 pages of the legacy
// urls.txt, in its order, each
// https://example.test/<section>/<subsection>/<subsection>-NNN titled
// "Section | Subsection | Page N". It is generated, not stored.
func Builtin() []Page { return builtin() }

var builtin = sync.OnceValue(func() []Page {
	cat := urlCatalogue()
	out := make([]Page, 0, builtinCount)
	for _, s := range cat {
		if s.pages != 400 { // 40 and 440 have pages 1-40 in the first part
			out = appendPages(out, s.section, s.name, 1, 40)
		}
	}
	for _, key := range secondPart {
		section, name, _ := strings.Cut(key, "/")
		out = appendPages(out, section, name, 41, 440)
	}
	if len(out) != builtinCount {
		panic(dataError("url-catalogue.tsv", 0, "built-in site map has %d pages, want %d", len(out), builtinCount))
	}
	return out
})

func appendPages(out []Page, section, name string, from, to int) []Page {
	prefix := BuiltinSite + "/" + section + "/" + name + "/" + name + "-"
	titlePrefix := titleCase(section) + " | " + titleCase(name) + " | Page "
	for n := from; n <= to; n++ {
		num := strconv.Itoa(n)
		out = append(out, Page{
			URL:   prefix + strings.Repeat("0", max(0, 3-len(num))) + num,
			Title: titlePrefix + num,
		})
	}
	return out
}

// titleCase capitalises every hyphen-separated word, as the legacy titles
// do ("case-studies" -> "Case-Studies").
func titleCase(s string) string {
	words := strings.Split(s, "-")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, "-")
}
