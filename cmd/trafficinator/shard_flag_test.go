package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestParseShard: I/N and auto, with the exact refusal of each bad value.
func TestParseShard(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	none := env(nil)
	for _, c := range []struct {
		in   string
		env  func(string) string
		want string // "i/n" or the error
	}{
		{"0/4", none, "0/4"},
		{"3/4", none, "3/4"},
		{"0/1", none, "0/1"},
		{"4/4", none, "shard index 4: want 0 to 3 (indexes are 0-based)"},
		{"-1/4", none, "shard index -1: want 0 to 3 (indexes are 0-based)"},
		{"0/0", none, "shard count 0: want at least 1"},
		{"1", none, "want I/N (for example 0/4) or auto"},
		{"a/4", none, `shard index "a" is not a whole number`},
		{"1/b", none, `shard count "b" is not a whole number`},
		{"auto", env(map[string]string{"JOB_COMPLETION_INDEX": "2", "TRAFFICINATOR_SHARD_COUNT": "3"}), "2/3"},
		{"auto", env(map[string]string{"TRAFFICINATOR_SHARD_INDEX": "1", "TRAFFICINATOR_SHARD_COUNT": "3"}), "1/3"},
		{"auto", env(map[string]string{"JOB_COMPLETION_INDEX": "0", "TRAFFICINATOR_SHARD_INDEX": "1", "TRAFFICINATOR_SHARD_COUNT": "3"}), "0/3"},
		{"auto", env(map[string]string{"TRAFFICINATOR_SHARD_COUNT": "3"}), "neither JOB_COMPLETION_INDEX nor TRAFFICINATOR_SHARD_INDEX is set: auto needs the shard index from one of them"},
		{"auto", env(map[string]string{"JOB_COMPLETION_INDEX": "0"}), "TRAFFICINATOR_SHARD_COUNT is not set: auto needs the shard count from it"},
		{"auto", env(map[string]string{"JOB_COMPLETION_INDEX": "3", "TRAFFICINATOR_SHARD_COUNT": "3"}), "shard index 3: want 0 to 2 (indexes are 0-based)"},
	} {
		s, err := parseShard(c.in, c.env)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = s.String()
		}
		if got != c.want {
			t.Errorf("parseShard(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestApplyShardUsage: --shard without --run-id, a bad --shard and auto
// without its environment are usage errors (exit 2), before any traffic.
func TestApplyShardUsage(t *testing.T) {
	path := filepath.Join(tree(t, map[string]string{"s.yaml": validScenario}), "s.yaml")
	t.Setenv("JOB_COMPLETION_INDEX", "")
	t.Setenv("TRAFFICINATOR_SHARD_INDEX", "")
	t.Setenv("TRAFFICINATOR_SHARD_COUNT", "")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--shard", "0/2"}, "--shard 0/2 needs --run-id: every shard of a run must share its run id"},
		{[]string{"--shard", "2/2", "--run-id", "r"}, "--shard 2/2: shard index 2: want 0 to 1 (indexes are 0-based)"},
		{[]string{"--shard", "auto", "--run-id", "r"}, "--shard auto: neither JOB_COMPLETION_INDEX nor TRAFFICINATOR_SHARD_INDEX is set"},
	} {
		code, out, errOut := runCLI(t, append(append([]string{"apply"}, c.args...), "--no-preflight", path)...)
		if code != 2 || !strings.Contains(errOut, c.want) || out != "" {
			t.Errorf("apply %v: exit %d, stderr %q, stdout %q; want exit 2 and %q", c.args, code, errOut, out, c.want)
		}
	}
}

// FuzzParseShard: any --shard value (and environment) gives a shard in
// range or an error, never a panic.
func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"0/4", "3/4", "auto", "4/4", "-1/2", "1/0", "x", "9999999999999999999/2", " 1 / 3 "} {
		f.Add(s, "1", "3")
	}
	f.Fuzz(func(t *testing.T, v, index, count string) {
		env := func(k string) string {
			switch k {
			case "TRAFFICINATOR_SHARD_INDEX":
				return index
			case "TRAFFICINATOR_SHARD_COUNT":
				return count
			}
			return ""
		}
		s, err := parseShard(v, env)
		if err == nil && (s.Count < 1 || s.Index < 0 || s.Index >= s.Count) {
			t.Fatalf("parseShard(%q) = %v", v, s)
		}
	})
}
