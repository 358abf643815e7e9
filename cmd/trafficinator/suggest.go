package main

import (
	"regexp"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// closest returns the candidate nearest to typed, or "" when none is near
// enough to be what was meant: at most one edit per three letters (a
// swap of two neighbours is one edit), or typed is the start of exactly one
// candidate. urfave/cli's own suggestion names the nearest candidate
// however far it is ("nosuch": "did you mean schema?"), so it is not used.
func closest(candidates []string, typed string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := editDistance(typed, c)
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if best != "" && bestDist <= max(1, len(typed)/3) {
		return best
	}
	var prefixed []string
	for _, c := range candidates {
		if len(typed) >= 2 && strings.HasPrefix(c, typed) && !slices.Contains(prefixed, c) {
			prefixed = append(prefixed, c)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	return ""
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of two neighbouring letters.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// didYouMean is "; did you mean X?" for the candidate closest to typed,
// or "".
func didYouMean(candidates []string, typed string) string {
	if s := closest(candidates, typed); s != "" {
		return "; did you mean " + s + "?"
	}
	return ""
}

// commandNames lists the names and aliases of cmds that a user may type.
func commandNames(cmds []*cli.Command) []string {
	var names []string
	for _, c := range cmds {
		if !c.Hidden {
			names = append(names, c.Names()...)
		}
	}
	return names
}

// flagInError finds the flag that the standard flag package names in a
// parse error ("flag provided but not defined: -formt", "flag needs an
// argument: -seed", "invalid value "x" for flag -seed: ..."); it always
// writes one dash, whatever was typed.
var flagInError = regexp.MustCompile(`(defined: |argument: |for flag )-([A-Za-z0-9][A-Za-z0-9_-]*)`)

// flagUsageError rewrites a flag parse error of cmd: the flag as it was
// typed in args (--formt, not -formt) and, for an unknown flag, the
// closest flag of the command.
func flagUsageError(err error, cmd *cli.Command, args []string) string {
	msg := err.Error()
	m := flagInError.FindStringSubmatchIndex(msg)
	if m == nil {
		return msg
	}
	name := msg[m[4]:m[5]]
	typed := typedFlag(args, name)
	out := msg[:m[4]-1] + typed + msg[m[5]:]
	if !strings.HasPrefix(msg, "flag provided but not defined") || cmd == nil {
		return out
	}
	var names []string
	for _, f := range append(slices.Clone(cmd.Flags), cli.HelpFlag) {
		if f == nil {
			continue
		}
		for _, n := range f.Names() {
			if len(n) > 1 {
				names = append(names, "--"+n)
			}
		}
	}
	if s := closest(names, "--"+name); s != "" {
		return out + "; did you mean " + s + "?"
	}
	return out
}

// typedFlag is the flag called name as args spell it: "--name" or
// "-name" (with or without "=value"); "--name" when args do not hold it.
func typedFlag(args []string, name string) string {
	for _, a := range args {
		if a == "--" {
			break
		}
		flag, _, _ := strings.Cut(a, "=")
		if strings.TrimLeft(flag, "-") == name && strings.HasPrefix(flag, "-") {
			return flag
		}
	}
	return "--" + name
}
