package catalog

import (
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestUserAgentPool(t *testing.T) {
	pool := UserAgents()
	if pool.Len() < 40 {
		t.Fatalf("%d user agents, want at least 40", pool.Len())
	}
	seen := map[string]bool{}
	browsers, systems := map[string]bool{}, map[string]bool{}
	versions := map[string]map[string]bool{} // browser → distinct version tokens
	version := regexp.MustCompile(`(?:Chrome|Firefox|Version|Edg|OPR|CriOS|EdgA|SamsungBrowser)/(\d+(?:\.\d+)?)`)
	total := 0.0
	for i := range pool.Len() {
		ua := pool.Item(i)
		total += pool.Share(i)
		if seen[ua.String] {
			t.Errorf("user agent %q repeated", ua.String)
		}
		seen[ua.String] = true
		browsers[ua.Browser], systems[ua.OS] = true, true
		if !strings.HasPrefix(ua.String, "Mozilla/5.0 (") {
			t.Errorf("user agent %q does not start like a browser's", ua.String)
		}
		m := version.FindAllStringSubmatch(ua.String, -1)
		if len(m) == 0 {
			t.Errorf("user agent %q has no browser version", ua.String)
			continue
		}
		if versions[ua.Browser] == nil {
			versions[ua.Browser] = map[string]bool{}
		}
		versions[ua.Browser][m[len(m)-1][1]] = true
		// The device class must agree with the string, since screen
		// resolutions are drawn by class.
		mobile := strings.Contains(ua.String, "Mobile") || strings.Contains(ua.String, "iPhone")
		switch ua.Device {
		case Mobile:
			if !mobile || strings.Contains(ua.String, "iPad") {
				t.Errorf("mobile user agent %q does not look mobile", ua.String)
			}
		case Tablet:
			if !strings.Contains(ua.String, "iPad") && (mobile || !strings.Contains(ua.String, "Android")) {
				t.Errorf("tablet user agent %q does not look like a tablet", ua.String)
			}
		case Desktop:
			if mobile || strings.Contains(ua.String, "Android") {
				t.Errorf("desktop user agent %q looks mobile", ua.String)
			}
		}
	}
	if math.Abs(total-1) > 1e-9 {
		t.Errorf("shares add up to %v", total)
	}
	for _, b := range []string{"Chrome", "Firefox", "Safari", "Edge", "Chrome Mobile", "Mobile Safari"} {
		if len(versions[b]) < 2 {
			t.Errorf("browser %s has versions %v, want at least 2", b, versions[b])
		}
	}
	for _, os := range []string{"Windows", "macOS", "Linux", "Android", "iOS"} {
		if !systems[os] {
			t.Errorf("no user agent on %s", os)
		}
	}
}

func TestLanguagesAndResolutions(t *testing.T) {
	langs := Languages()
	if langs.Len() < 20 {
		t.Errorf("%d languages, want at least 20", langs.Len())
	}
	accept := regexp.MustCompile(`^[a-z]{2,3}(-[A-Z]{2})?(;q=0\.\d)?(,[a-z]{2,3}(-[A-Z]{2})?(;q=0\.\d)?)*$`)
	seen := map[string]bool{}
	for i := range langs.Len() {
		l := langs.Item(i)
		if !accept.MatchString(l) || seen[l] {
			t.Errorf("language %q malformed or repeated", l)
		}
		seen[l] = true
	}
	res := regexp.MustCompile(`^(\d{3,4})x(\d{3,4})$`)
	for _, d := range []string{Desktop, Mobile, Tablet} {
		w := Resolutions(d)
		if w.Len() < 5 {
			t.Errorf("%s: %d resolutions, want at least 5", d, w.Len())
		}
		for i := range w.Len() {
			m := res.FindStringSubmatch(w.Item(i))
			if m == nil {
				t.Errorf("%s resolution %q malformed", d, w.Item(i))
				continue
			}
			wide, _ := strconv.Atoi(m[1])
			high, _ := strconv.Atoi(m[2])
			if d != Tablet && (d == Mobile) != (wide < high) {
				t.Errorf("%s resolution %s has the wrong orientation", d, w.Item(i))
			}
		}
	}
	if Resolutions("watch") != Resolutions(Desktop) {
		t.Error("an unknown device class does not fall back to desktop resolutions")
	}
}

// TestWeightedPick draws 200,000 languages and checks each count against
// its share within 3 binomial standard errors.
func TestWeightedPick(t *testing.T) {
	w := Languages()
	r := rand.New(rand.NewPCG(1, 2))
	const n = 200000
	counts := make([]int, w.Len())
	for range n {
		counts[w.Index(r)]++
	}
	for i, c := range counts {
		p := w.Share(i)
		se := math.Sqrt(p * (1 - p) / n)
		if got := float64(c) / n; math.Abs(got-p) > 3*se {
			t.Errorf("%q drawn %.5f of the time, share %.5f (±%.5f)", w.Item(i), got, p, 3*se)
		}
	}
}
