package catalog

import "sync"

// Referrers are the external referrer URLs of the legacy tool, by source.
type Referrers struct {
	Search   []string // search engines (10)
	Social   []string // social networks (10)
	Referral []string // other websites (15)
}

// LegacyReferrers returns the referrer URLs of referrers.tsv. The "direct"
// row of the file is no URL (a direct visit sends no urlref) and is skipped.
func LegacyReferrers() Referrers { return legacyReferrers() }

var legacyReferrers = sync.OnceValue(func() Referrers {
	var out Referrers
	for _, r := range rows("referrers.tsv", true, 4) {
		category, u := r.fields[1], r.fields[3]
		var dst *[]string
		switch category {
		case "direct":
			continue
		case "search_engines":
			dst = &out.Search
		case "social_media":
			dst = &out.Social
		case "referral_sites":
			dst = &out.Referral
		default:
			panic(dataError("referrers.tsv", r.line, "unknown category %q", category))
		}
		if !isHTTPURL(u) {
			panic(dataError("referrers.tsv", r.line, "%q is not an absolute http(s) URL", u))
		}
		*dst = append(*dst, u)
	}
	if len(out.Search) == 0 || len(out.Social) == 0 || len(out.Referral) == 0 {
		panic(dataError("referrers.tsv", 0, "a category has no URL"))
	}
	return out
})
