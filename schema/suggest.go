package schema

import "strings"

// Suggest is Trafficinator's one "did you mean" engine: it returns the
// candidate that name was most likely meant to be, or "". Every hint uses
// it: unknown scenario fields (here), unknown policy variables and target
// names (scenario), unknown legacy settings, step types and target fields
// (scenario/legacy). The rule:
//
//   - Case and separators: names are compared lower-cased, with "-" read
//     as "_" ("SITE-ID" is "site_id"); the candidate is returned as given.
//   - Distance: optimal string alignment in runes (insert, delete,
//     substitute, or swap two neighbours, each one edit: "erorrs" is one
//     edit from "errors").
//   - Bound: a name of 1 rune is never close; 2 to 4 runes allow 1 edit;
//     longer names 2. Names longer than 64 runes are never typos.
//   - Ties: the smallest distance wins, then the alphabetically first
//     candidate, whatever the order of candidates.
//   - Failing that, a name of 3+ runes that is a prefix of exactly one
//     candidate, or that starts with exactly one candidate of 3+ runes,
//     suggests that candidate ("concurr" → "concurrency", "timeout_ms" →
//     "timeout").
func Suggest(name string, candidates []string) string {
	n := normalizeName(name)
	size := len([]rune(n))
	if size == 0 || size > maxSuggestRunes {
		return ""
	}
	limit := 2
	switch {
	case size == 1:
		limit = 0
	case size <= 4:
		limit = 1
	}
	best, bestDist := "", limit+1
	for _, c := range candidates {
		d := editDistance(n, normalizeName(c))
		if d < bestDist || (d == bestDist && best != "" && c < best) {
			best, bestDist = c, d
		}
	}
	if best != "" && bestDist <= limit {
		return best
	}
	var prefixed []string
	for _, c := range candidates {
		nc := normalizeName(c)
		if (size >= 3 && strings.HasPrefix(nc, n)) || (len([]rune(nc)) >= 3 && strings.HasPrefix(n, nc)) {
			prefixed = append(prefixed, c)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	return ""
}

// maxSuggestRunes bounds the names Suggest compares, which keeps the
// quadratic distance cheap on hostile input.
const maxSuggestRunes = 64

func normalizeName(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "-", "_")
}

// editDistance is the Levenshtein distance in runes counting a
// transposition of two neighbours as one edit (optimal string alignment).
// Inputs longer than maxSuggestRunes are never close.
func editDistance(a, b string) int {
	ar, br := []rune(a), []rune(b)
	if len(ar) > maxSuggestRunes || len(br) > maxSuggestRunes {
		return 1 << 30
	}
	prev2 := make([]int, len(br)+1)
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
			if i > 1 && j > 1 && ar[i-1] == br[j-2] && ar[i-2] == br[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(br)]
}
