package matomodata

import "testing"

func TestClassifyReferrer(t *testing.T) {
	cases := []struct {
		url           string
		kind          RefKind
		name, keyword string
	}{
		{"", RefNone, "", ""},
		{"not a url", RefNone, "", ""},
		{"https://www.google.com/search?q=Matomo+Analytics", RefSearch, "Google", "matomo analytics"},
		{"https://www.google.de/search?q=x", RefSearch, "Google", "x"},
		{"https://www.google.co.uk/", RefSearch, "Google", ""},
		{"https://www.google.com/#q=frag", RefSearch, "Google", "frag"},
		{"https://www.bing.com/search?q=privacy+analytics", RefSearch, "Bing", "privacy analytics"},
		{"https://duckduckgo.com/?q=matomo+tracking", RefSearch, "DuckDuckGo", "matomo tracking"},
		{"https://search.yahoo.com/search?p=web+statistics", RefSearch, "Yahoo!", "web statistics"},
		{"https://de.search.yahoo.com/search?p=x", RefSearch, "Yahoo!", "x"},
		{"https://yandex.ru/search/?text=%D0%BC%D0%B0", RefSearch, "Yandex", "ма"},
		// The bare host of an engine without hiddenkeyword is that engine
		// without a keyword (Matomo ≥ 4); another path is not.
		{"https://www.facebook.com/", RefSearch, "Facebook", ""},
		{"https://www.facebook.com/search/?q=Go", RefSearch, "Facebook", "go"},
		{"https://www.bing.com/some/page", RefWebsite, "", ""},
		{"https://www.bing.com/search?form=x&q=", RefSearch, "Bing", ""},
		{"https://www.bing.com/search?q=", RefWebsite, "", ""}, // "q=" first is no "&q=": Matomo misses it
		// Socials.yml: the domain anywhere in the URL after "." or "/".
		{"https://l.facebook.com/l.php?u=x", RefSocial, "Facebook", ""},
		{"https://m.facebook.com/", RefSocial, "Facebook", ""},
		{"https://www.facebook.com/some/page", RefSocial, "Facebook", ""},
		{"https://twitter.com/", RefSocial, "Twitter", ""},
		{"https://t.co/abc", RefSocial, "Twitter", ""},
		{"https://sourceforge.net/", RefSocial, "Sourceforge", ""},
		{"https://old.reddit.com/r/x", RefSocial, "reddit", ""},
		{"https://example.com/github.com/x", RefSocial, "GitHub", ""},
		{"https://notreddit.com/", RefWebsite, "", ""},
		{"https://medium.com/", RefWebsite, "", ""},
		{"https://dev.to/", RefWebsite, "", ""},
		{"https://www.producthunt.com/", RefWebsite, "", ""},
		{"https://google.example.com/", RefWebsite, "", ""},
		{"https://www.capterra.com/", RefWebsite, "", ""},
	}
	for _, c := range cases {
		got := ClassifyReferrer(c.url)
		if got.Kind != c.kind || got.Name != c.name || got.Keyword != c.keyword {
			t.Errorf("ClassifyReferrer(%q) = %v %q %q, want %v %q %q", c.url, got.Kind, got.Name, got.Keyword, c.kind, c.name, c.keyword)
		}
	}
}

func TestLossyHost(t *testing.T) {
	cases := map[string]string{
		"www.google.de":       "google.{}",
		"www.google.co.uk":    "google.{}",
		"www.google.com.br":   "google.{}",
		"m.bing.com":          "bing.com",
		"search.yahoo.com":    "yahoo.com",
		"de.search.yahoo.com": "{}.search.yahoo.com",
		"www2.google.com":     "google.com",
		"www.google.cat":      "google.{}",
		"a.m.m.b.de.at.com":   "a.m.b.{}.at.com", // a label right after a replaced one stays
	}
	for in, want := range cases {
		if got := lossyHost(in); got != want {
			t.Errorf("lossyHost(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestListsLoad(t *testing.T) {
	if n := len(searchEngines()); n < 500 {
		t.Errorf("SearchEngines.yml: %d url entries, want ≥ 500", n)
	}
	if n := len(SocialDomains()); n < 100 {
		t.Errorf("Socials.yml: %d domains, want ≥ 100", n)
	}
	if got := SearchEngineParams("www.bing.com"); len(got) == 0 || got[0] != "q" {
		t.Errorf("SearchEngineParams(www.bing.com) = %q, want [q …]", got)
	}
	if got := SearchEngineParams("example.com"); got != nil {
		t.Errorf("SearchEngineParams(example.com) = %q, want nil", got)
	}
}

func BenchmarkClassifyReferrer(b *testing.B) {
	urls := []string{"https://www.google.com/search?q=x", "https://twitter.com/", "https://www.capterra.com/"}
	for i := 0; b.Loop(); i++ {
		ClassifyReferrer(urls[i%len(urls)])
	}
}

// FuzzClassifyReferrer: any referrer a hit may carry is classified
// without a panic, and a category implies a host.
func FuzzClassifyReferrer(f *testing.F) {
	for _, s := range []string{
		"https://www.google.com/search?q=x", "https://www.google.co.uk/#q=y", "https://twitter.com/",
		"https://user:pw@www.bing.com:8080/search?q=a%zz", "http://[::1]:80/", "https://s/", "://x",
		"https://www.facebook.com/", "https://1.cz/s/keyword", "https://de.search.yahoo.com/search?p=",
		"https://x.test/?cx=partner-pub-1", "https://a.m.m.b.de.at.com.br/", "https://.../",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, u string) {
		r := ClassifyReferrer(u)
		if (r.Kind == RefNone) != (r.Host == "") {
			t.Fatalf("ClassifyReferrer(%q) = %+v: a category needs a host", u, r)
		}
		if r.Kind != RefSearch && (r.Keyword != "") {
			t.Fatalf("ClassifyReferrer(%q) = %+v: a keyword without a search engine", u, r)
		}
	})
}
