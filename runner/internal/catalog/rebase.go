package catalog

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Rebase moves pages onto a site: the scheme and host (with port) of each
// page URL are replaced by those of siteURL, and a path in siteURL is put in
// front of each page path ("https://shop.example.com/store" turns
// https://example.test/blog/x into https://shop.example.com/store/blog/x).
// Query strings and fragments of siteURL are not allowed. Titles are kept.
// It is how the built-in site map follows a target's site_url.
func Rebase(pages []Page, siteURL string) ([]Page, error) {
	u, err := url.Parse(siteURL)
	if err != nil || !isHTTPURL(siteURL) {
		return nil, fmt.Errorf("site URL %q is not an absolute http(s) URL with a host", clip(siteURL))
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("site URL %q must not have user info, a query or a fragment", clip(siteURL))
	}
	base := strings.ToLower(u.Scheme) + "://" + u.Host + strings.TrimSuffix(u.EscapedPath(), "/")
	out := make([]Page, len(pages))
	for i, p := range pages {
		rest := afterOrigin(p.URL)
		if !strings.HasPrefix(rest, "/") {
			rest = "/" + rest
		}
		out[i] = Page{URL: base + rest, Title: p.Title}
		if len(out[i].URL) > MaxURLChars && utf8.RuneCountInString(out[i].URL) > MaxURLChars {
			return nil, fmt.Errorf("page %q on site %q would be longer than %d characters", clip(p.URL), clip(siteURL), MaxURLChars)
		}
	}
	return out, nil
}

// Origin returns the scheme://host[:port] part of an absolute URL, or ""
// when s has none.
func Origin(s string) string {
	return s[:len(s)-len(afterOrigin(s))]
}

// afterOrigin returns what follows scheme://host[:port] in s (the path,
// query and fragment), or s itself when it has no "://".
func afterOrigin(s string) string {
	i := strings.Index(s, "://")
	if i < 0 {
		return s
	}
	rest := s[i+3:]
	if j := strings.IndexAny(rest, "/?#"); j >= 0 {
		return rest[j:]
	}
	return ""
}
