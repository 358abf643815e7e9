package catalog

import (
	"regexp"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/targets"
)

// guessCountry is how Matomo without a GeoIP database places a visitor:
// the region of the first language tag, else the language's main country.
func guessCountry(lang string) string {
	first, _, _ := strings.Cut(lang, ",")
	first, _, _ = strings.Cut(first, ";")
	if _, region, ok := strings.Cut(first, "-"); ok && len(region) == 2 {
		return region
	}
	return map[string]string{"de": "DE", "fr": "FR", "ja": "JP", "sv": "SE", "it": "IT", "es": "ES",
		"pl": "PL", "ko": "KR", "nl": "NL", "pt": "PT", "en": "US"}[first]
}

// TestCountryLanguagesMatchTheCountry: every country of the table has a
// list of several well-formed Accept-Language values, and most of its
// visitors (by weight) send one that names their own country.
func TestCountryLanguagesMatchTheCountry(t *testing.T) {
	accept := regexp.MustCompile(`^[a-z]{2,3}(-([A-Z]{2}|\d{3}))?(;q=0\.\d)?(,[a-z]{2,3}(-([A-Z]{2}|\d{3}))?(;q=0\.\d)?)*$`)
	for _, c := range targets.Countries() {
		w, ok := CountryLanguages(c.Code)
		if !ok {
			t.Errorf("%s: no languages", c.Code)
			continue
		}
		if w.Len() < 4 {
			t.Errorf("%s: %d languages, want at least 4 for variety", c.Code, w.Len())
		}
		own, seen := 0.0, map[string]bool{}
		for i := range w.Len() {
			l := w.Item(i)
			if !accept.MatchString(l) || seen[l] {
				t.Errorf("%s: language %q malformed or repeated", c.Code, l)
			}
			seen[l] = true
			if guessCountry(l) == c.Code {
				own += w.Share(i)
			}
		}
		if own < 0.6 {
			t.Errorf("%s: only %.0f%% of visitors send a language of their country", c.Code, 100*own)
		}
	}
	if _, ok := CountryLanguages("XX"); ok {
		t.Error("CountryLanguages(XX) found a list")
	}
}
