package schema

import "strings"

// suggest returns the allowed name an unknown property was most likely
// meant to be, or "". Names are compared lower-cased with "-" read as "_".
// A name is close when its edit distance is at most 1 (names of up to 4
// characters) or 2 (longer names); the smallest distance wins, then the
// alphabetically first. Failing that, an unknown name of 3+ characters that
// is a prefix of exactly one allowed name, or that starts with exactly one
// allowed name of 3+ characters, suggests that name ("concurr" →
// "concurrency", "timeout_ms" → "timeout").
func suggest(name string, allowed []string) string {
	n := normalizeName(name)
	limit := 2
	if len([]rune(n)) <= 4 {
		limit = 1
	}
	best, bestDist := "", limit+1
	for _, a := range allowed {
		if d := levenshtein(n, normalizeName(a)); d < bestDist || (d == bestDist && a < best) {
			best, bestDist = a, d
		}
	}
	if best != "" && bestDist <= limit {
		return best
	}
	var prefixed []string
	for _, a := range allowed {
		na := normalizeName(a)
		if (len(n) >= 3 && strings.HasPrefix(na, n)) || (len(na) >= 3 && strings.HasPrefix(n, na)) {
			prefixed = append(prefixed, a)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	return ""
}

func normalizeName(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "-", "_")
}

// levenshtein is the edit distance (insert, delete, substitute) in runes.
func levenshtein(a, b string) int {
	ar, br := []rune(a), []rune(b)
	prev := make([]int, len(br)+1)
	cur := make([]int, len(br)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ar); i++ {
		cur[0] = i
		for j := 1; j <= len(br); j++ {
			cost := 1
			if ar[i-1] == br[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(br)]
}
