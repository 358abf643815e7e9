package catalog

import "sync"

// Referrers are external referrer URLs by source.
type Referrers struct {
	Search   []string // search engines (10)
	Social   []string // social networks (10)
	Referral []string // other websites (15)
}

// MatomoReferrers returns the referrer URLs a visit draws from
// (matomo-referrers.tsv): the legacy tool's referrers.tsv, each URL in the
// category Matomo's own lists give it, so that Matomo's Referrers reports show the mix a
// scenario asks for.
func MatomoReferrers() Referrers { return matomoReferrers() }

var matomoReferrers = sync.OnceValue(func() Referrers {
	var out Referrers
	for _, r := range rows("matomo-referrers.tsv", true, 2) {
		category, u := r.fields[0], r.fields[1]
		var dst *[]string
		switch category {
		case "search":
			dst = &out.Search
		case "social":
			dst = &out.Social
		case "referral":
			dst = &out.Referral
		default:
			panic(dataError("matomo-referrers.tsv", r.line, "unknown category %q", category))
		}
		if !isHTTPURL(u) {
			panic(dataError("matomo-referrers.tsv", r.line, "%q is not an absolute http(s) URL", u))
		}
		*dst = append(*dst, u)
	}
	if len(out.Search) == 0 || len(out.Social) == 0 || len(out.Referral) == 0 {
		panic(dataError("matomo-referrers.tsv", 0, "a category has no URL"))
	}
	return out
})

// Campaign is a marketing campaign: the mtm_campaign and mtm_kwd values
// of a campaign visit's landing URL.
type Campaign struct {
	Name, Keyword string
}

// Campaigns returns the campaigns of campaigns.tsv.
func Campaigns() []Campaign { return campaigns() }

var campaigns = sync.OnceValue(func() []Campaign {
	var out []Campaign
	for _, r := range rows("campaigns.tsv", true, 2) {
		if r.fields[0] == "" {
			panic(dataError("campaigns.tsv", r.line, "empty campaign name"))
		}
		out = append(out, Campaign{Name: r.fields[0], Keyword: r.fields[1]})
	}
	return out
})
