// Package catalog holds the fixed data a generated visit draws from: the
// legacy tool's catalogues (products, click and random events, site-search
// terms, outlinks, downloads, referrers), the referrers by the category Matomo
// gives them (matomo-referrers.tsv), campaigns, a pool of realistic user agents,
// languages and screen resolutions, and the built-in site map of 22,000
// pages under https://example.test/.
//
// The data files are embedded from data/ and parsed once, on first use. A
// defect in an embedded file is a build defect (the tests parse every file),
// so the accessors panic on one instead of returning an error. Everything
// that reads user input (LoadURLFile, ParseURLs, PagesFromList, Rebase)
// returns errors instead.
//
// Slices returned by the accessors are shared: callers must not modify them.
package catalog
