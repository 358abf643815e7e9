package catalog

import (
	"strings"
	"sync"
)

// SearchTerms returns the 37 legacy site-search keywords.
func SearchTerms() []string { return searchTerms() }

var searchTerms = sync.OnceValue(func() []string { return lines("search-terms.txt") })

// Outlinks returns the 25 legacy outlink targets (absolute URLs).
func Outlinks() []string { return outlinks() }

var outlinks = sync.OnceValue(func() []string {
	out := lines("outlinks.txt")
	for i, u := range out {
		if !isHTTPURL(u) {
			panic(dataError("outlinks.txt", i+1, "%q is not an absolute http(s) URL", u))
		}
	}
	return out
})

// Downloads returns the 20 legacy download paths. They are relative to the
// site ("/downloads/user-manual.pdf"); a visit resolves them against the
// scheme and host of the page that links to them.
func Downloads() []string { return downloads() }

var downloads = sync.OnceValue(func() []string { return lines("downloads.txt") })

// searchCategories are the legacy site-search categories. The legacy tool
// drew from four entries, an empty one ("no category") and these three.
var searchCategories = []string{"Products", "Support", "Documentation"}

// SearchCategories returns the site-search categories (search_cat values).
func SearchCategories() []string { return searchCategories }

func lines(name string) []string {
	var out []string
	for _, r := range rows(name, false, 1) {
		s := strings.TrimSpace(r.fields[0])
		if s != r.fields[0] {
			panic(dataError(name, r.line, "leading or trailing space"))
		}
		out = append(out, s)
	}
	return out
}
