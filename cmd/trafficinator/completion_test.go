package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Each script names every command and is valid for its shell (checked
// when the shell is installed).
func TestCompletionScripts(t *testing.T) {
	dir := t.TempDir()
	for _, shell := range completionShells {
		code, script, stderr := runCLI(t, "completion", shell)
		if code != exitOK || stderr != "" || script == "" {
			t.Fatalf("completion %s: exit %d %q", shell, code, stderr)
		}
		for _, cmd := range commandNames(commands()) {
			if !strings.Contains(script, cmd) {
				t.Errorf("completion %s does not name %s", shell, cmd)
			}
		}
		for _, flag := range []string{"max-visits", "max-p95-increase", "verify-sample"} {
			if !strings.Contains(script, flag) {
				t.Errorf("completion %s does not name --%s", shell, flag)
			}
		}
		file := filepath.Join(dir, "trafficinator."+shell)
		if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		check := map[string][]string{"bash": {"bash", "-n"}, "zsh": {"zsh", "-n"}, "fish": {"fish", "--no-execute"}}[shell]
		if _, err := exec.LookPath(check[0]); err != nil {
			t.Logf("%s is not installed: the script's syntax is not checked", check[0])
			continue
		}
		if out, err := exec.Command(check[0], append(check[1:], file)...).CombinedOutput(); err != nil {
			t.Errorf("%s %s: %v\n%s", strings.Join(check, " "), file, err, out)
		}
	}
	for _, args := range [][]string{{"completion"}, {"completion", "powershell"}, {"completion", "bash", "zsh"}} {
		if code, _, stderr := runCLI(t, args...); code != exitUsage || stderr != "trafficinator: completion needs one shell: bash, zsh or fish\n" {
			t.Errorf("%v: exit %d %q", args, code, stderr)
		}
	}
}

// The bash script completes what a user would type next.
func TestBashCompletionCompletes(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	_, script, _ := runCLI(t, "completion", "bash")
	dir := tree(t, map[string]string{"trafficinator.bash": script, "shop.yaml": "", "notes.txt": ""})
	cases := []struct {
		line string // the words; the last one is completed
		want string
	}{
		{"trafficinator ap", "apply"},
		{"trafficinator v", "validate verify version"},
		{"trafficinator report d", "diff"},
		{"trafficinator report diff --max-", "--max-p95-increase --max-error-rate-increase"},
		{"trafficinator apply --ma", "--max-visits --max-rps"},
		{"trafficinator apply shop.yaml --seed 3 --verify-s", "--verify-sample"},
		{"trafficinator completion ", "bash zsh fish"},
		{"trafficinator help rep", "report"},
		{"trafficinator apply sh", "shop.yaml"},
		{"trafficinator version ", ""},
	}
	for _, c := range cases {
		words := strings.Split(c.line, " ")
		prog := `source trafficinator.bash; COMP_WORDS=(` + quoteWords(words) + `); COMP_CWORD=` +
			string(rune('0'+len(words)-1)) + `; __trafficinator_complete; echo "${COMPREPLY[*]}"`
		cmd := exec.Command(bash, "--norc", "--noprofile", "-c", prog)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if got := strings.TrimSpace(string(out)); err != nil || got != c.want {
			t.Errorf("%q: %q (%v), want %q", c.line, got, err, c.want)
		}
	}
}

func quoteWords(words []string) string {
	var q []string
	for _, w := range words {
		q = append(q, "'"+w+"'")
	}
	return strings.Join(q, " ")
}

// zsh runs the bash functions through bashcompinit (under sh emulation,
// as its compgen calls them; zsh itself then filters by the prefix), and
// fish its own completions: both offer what bash offers.
func TestZshAndFishCompletionsComplete(t *testing.T) {
	cases := []struct {
		line string
		want string // a candidate that must be offered
	}{
		{"trafficinator ap", "apply"},
		{"trafficinator report d", "diff"},
		{"trafficinator apply --max", "--max-visits"},
		{"trafficinator completion ", "fish"},
		{"trafficinator help rep", "report"},
	}
	for _, shell := range []string{"zsh", "fish"} {
		bin, err := exec.LookPath(shell)
		if err != nil {
			t.Logf("%s is not installed: its completion is not run", shell)
			continue
		}
		_, script, _ := runCLI(t, "completion", shell)
		dir := tree(t, map[string]string{"script": script})
		for _, c := range cases {
			var cmd *exec.Cmd
			if shell == "zsh" {
				words := strings.Split(c.line, " ")
				prog := `autoload -U +X compinit && compinit -u -D; source ./script; emulate sh -c "COMP_WORDS=(` + strings.Join(words, " ") +
					` ''); COMP_CWORD=` + string(rune('0'+len(words)-1)) + `; __trafficinator_complete; print -l -- \${COMPREPLY[@]}"`
				cmd = exec.Command(bin, "-f", "-c", prog)
			} else {
				cmd = exec.Command(bin, "--no-config", "-c", "source ./script; complete -C'"+c.line+"'")
			}
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			var got []string
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				word, _, _ := strings.Cut(line, "\t")
				got = append(got, word)
			}
			if err != nil || !slices.Contains(got, c.want) {
				t.Errorf("%s: %q offers %q (%v), want %q among them", shell, c.line, got, err, c.want)
			}
		}
	}
}
