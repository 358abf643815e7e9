package catalog

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Device classes of user agents; screen resolutions are drawn per class.
const (
	Desktop = "desktop"
	Mobile  = "mobile"
	Tablet  = "tablet"
)

// UserAgent is one entry of the user-agent pool.
type UserAgent struct {
	String  string // the User-Agent header
	Device  string // Desktop, Mobile or Tablet
	Browser string // browser family, as Matomo's device detection names it
	OS      string // operating system family
}

// UserAgents returns the weighted user-agent pool (data/user-agents.tsv):
// Chrome, Edge, Firefox, Safari, Opera and Samsung Internet in several
// versions on Windows, macOS, Linux, ChromeOS, Android, iOS and iPadOS.
func UserAgents() *Weighted[UserAgent] { return userAgents() }

var userAgents = sync.OnceValue(func() *Weighted[UserAgent] {
	var items []UserAgent
	var weights []float64
	for _, r := range rows("user-agents.tsv", false, 5) {
		w := weight("user-agents.tsv", r)
		ua := UserAgent{Device: r.fields[1], Browser: r.fields[2], OS: r.fields[3], String: r.fields[4]}
		if !isDevice(ua.Device) || ua.Browser == "" || ua.OS == "" || ua.String == "" {
			panic(dataError("user-agents.tsv", r.line, "bad device, browser, OS or user agent"))
		}
		items = append(items, ua)
		weights = append(weights, w)
	}
	return newWeighted(items, weights)
})

// Languages returns the weighted pool of lang values (Accept-Language
// strings such as "en-US,en;q=0.9").
func Languages() *Weighted[string] { return languages() }

var languages = sync.OnceValue(func() *Weighted[string] {
	var items []string
	var weights []float64
	for _, r := range rows("languages.tsv", false, 2) {
		weights = append(weights, weight("languages.tsv", r))
		items = append(items, r.fields[1])
	}
	return newWeighted(items, weights)
})

var resolutions = sync.OnceValue(func() map[string]*Weighted[string] {
	items := map[string][]string{}
	weights := map[string][]float64{}
	for _, r := range rows("resolutions.tsv", false, 3) {
		d := r.fields[0]
		if !isDevice(d) {
			panic(dataError("resolutions.tsv", r.line, "unknown device %q", d))
		}
		w, err := strconv.ParseFloat(r.fields[1], 64)
		if err != nil || !(w > 0) {
			panic(dataError("resolutions.tsv", r.line, "bad weight %q", r.fields[1]))
		}
		items[d] = append(items[d], r.fields[2])
		weights[d] = append(weights[d], w)
	}
	out := map[string]*Weighted[string]{}
	for _, d := range []string{Desktop, Mobile, Tablet} {
		if len(items[d]) == 0 {
			panic(dataError("resolutions.tsv", 0, "no resolution for %s", d))
		}
		out[d] = newWeighted(items[d], weights[d])
	}
	return out
})

// Resolutions returns the weighted screen resolutions (res values such as
// "1920x1080") of a device class; an unknown class gets the desktop ones.
func Resolutions(device string) *Weighted[string] {
	if w, ok := resolutions()[device]; ok {
		return w
	}
	return resolutions()[Desktop]
}

func isDevice(d string) bool { return d == Desktop || d == Mobile || d == Tablet }

// weight reads the weight in the first field of a row.
func weight(name string, r row) float64 {
	w, err := strconv.ParseFloat(r.fields[0], 64)
	if err != nil || !(w > 0) {
		panic(dataError(name, r.line, "bad weight %q", r.fields[0]))
	}
	return w
}

// CountryLanguages returns the weighted lang values of visitors from a
// country (data/country-languages.tsv); ok is false for a country without
// a list.
func CountryLanguages(country string) (w *Weighted[string], ok bool) {
	w, ok = countryLanguages()[country]
	return w, ok
}

var countryLanguages = sync.OnceValue(func() map[string]*Weighted[string] {
	items := map[string][]string{}
	weights := map[string][]float64{}
	for _, r := range rows("country-languages.tsv", false, 3) {
		c := r.fields[0]
		if len(c) != 2 || strings.ToUpper(c) != c {
			panic(dataError("country-languages.tsv", r.line, "bad country code %q", c))
		}
		w, err := strconv.ParseFloat(r.fields[1], 64)
		if err != nil || !(w > 0) || r.fields[2] == "" {
			panic(dataError("country-languages.tsv", r.line, "bad weight %q or empty lang", r.fields[1]))
		}
		items[c] = append(items[c], r.fields[2])
		weights[c] = append(weights[c], w)
	}
	out := map[string]*Weighted[string]{}
	for c := range items {
		out[c] = newWeighted(items[c], weights[c])
	}
	return out
})

// browserVersion finds the version of the browser a user agent names, the
// most specific token first (Samsung Internet and Edge also name Chrome).
var browserVersion = regexp.MustCompile(`(?:SamsungBrowser|EdgA|Edg|OPR|CriOS|Firefox|Version|Chrome)/(\d+(?:\.\d+)?)`)

// Fingerprint is what Matomo's visit fingerprint takes from the user
// agent: browser, its version and OS (not the device class).
func (u UserAgent) Fingerprint() string {
	v := ""
	for _, tok := range []string{"SamsungBrowser/", "EdgA/", "Edg/", "OPR/", "CriOS/", "Firefox/", "Version/", "Chrome/"} {
		if i := strings.Index(u.String, tok); i >= 0 {
			if m := browserVersion.FindStringSubmatch(u.String[i:]); m != nil {
				v = m[1]
				break
			}
		}
	}
	return u.Browser + " " + v + " on " + u.OS
}
