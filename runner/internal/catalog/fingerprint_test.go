package catalog

import (
	"strings"
	"testing"
)

// TestUserAgentFingerprints: Fingerprint names the browser, the version of
// that browser (not of the Chrome it is built on) and the OS; the pool
// has as many fingerprints as the merge-risk estimate relies on.
func TestUserAgentFingerprints(t *testing.T) {
	for ua, want := range map[UserAgent]string{
		{Browser: "Samsung Browser", OS: "Android", String: "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Safari/537.36"}: "Samsung Browser 26.0 on Android",
		{Browser: "Edge", OS: "Windows", String: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"}:                         "Edge 131.0 on Windows",
		{Browser: "Safari", OS: "macOS", String: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"}:                                 "Safari 17.5 on macOS",
	} {
		if got := ua.Fingerprint(); got != want {
			t.Errorf("Fingerprint of %q = %q, want %q", ua.String, got, want)
		}
	}
	pool := UserAgents()
	seen := map[string]int{}
	for i := range pool.Len() {
		fp := pool.Item(i).Fingerprint()
		if strings.Contains(fp, "  ") {
			t.Errorf("no version in %q", pool.Item(i).String)
		}
		seen[fp]++
	}
	if len(seen) < 160 {
		t.Errorf("%d distinct user-agent fingerprints in %d rows, want at least 160", len(seen), pool.Len())
	}
}
