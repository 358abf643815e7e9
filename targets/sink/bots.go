package sink

// botMarkers are lower-case substrings of bot user agents. Matomo uses the
// Device Detector bot list; these markers catch the common crawlers
// (Googlebot, bingbot, Baiduspider, Yahoo! Slurp, facebookexternalhit...)
// while, as in Matomo, curl and HTTP libraries are not bots.
var botMarkers = []string{
	"bot", "crawler", "spider", "slurp", "mediapartners", "facebookexternalhit",
	"bingpreview", "lighthouse", "pingdom", "uptimerobot",
}

// isBot reports whether ua looks like a bot, case-insensitively and
// without allocating.
func isBot(ua string) bool {
	for _, m := range botMarkers {
		if containsFold(ua, m) {
			return true
		}
	}
	return false
}

// containsFold: lower is lower-case ASCII.
func containsFold(s, lower string) bool {
	n := len(lower)
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for ; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != lower[j] {
				break
			}
		}
		if j == n {
			return true
		}
	}
	return false
}
