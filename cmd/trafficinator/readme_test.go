package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// The README is tested (issue 16): every command of its shell blocks runs
// against the built binary (or, for install and container lines, passes
// `bash -n`), every scenario of its YAML blocks validates and plans, and
// every diagnostic it shows is what validate prints. Commands are found
// generically, so the test keeps working as sections are added.

const readmePath = "../../README.md"

// mdBlock is one fenced code block of a markdown file.
type mdBlock struct {
	lang string
	line int // of the first line inside the fence
	body string
}

var fence = regexp.MustCompile("^(\\s*)(```+|~~~+)\\s*([A-Za-z0-9_-]*)")

func markdownBlocks(src string) []mdBlock {
	var blocks []mdBlock
	lines := strings.Split(src, "\n")
	for i := 0; i < len(lines); i++ {
		m := fence.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		b := mdBlock{lang: m[3], line: i + 2}
		var body []string
		for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), m[2]); i++ {
			body = append(body, strings.TrimPrefix(lines[i], m[1]))
		}
		b.body = strings.Join(body, "\n")
		if len(body) > 0 {
			b.body += "\n"
		}
		blocks = append(blocks, b)
	}
	return blocks
}

// shellLine is one command of a shell block, continuation lines joined,
// with its trailing comment apart.
type shellLine struct {
	line    int
	cmd     string
	comment string
}

var trailingComment = regexp.MustCompile(`(^|\s)#(\s.*|)$`)

func shellLines(b mdBlock) []shellLine {
	var out []shellLine
	var cur strings.Builder
	start := 0
	for i, l := range strings.Split(b.body, "\n") {
		if cur.Len() == 0 {
			start = b.line + i
		}
		if strings.HasSuffix(l, "\\") {
			cur.WriteString(strings.TrimSuffix(l, "\\") + " ")
			continue
		}
		cur.WriteString(l)
		text := strings.TrimSpace(cur.String())
		cur.Reset()
		text = strings.TrimPrefix(text, "$ ")
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		sl := shellLine{line: start, cmd: text}
		if loc := trailingComment.FindStringIndex(text); loc != nil {
			sl.cmd = strings.TrimSpace(text[:loc[0]])
			sl.comment = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text[loc[0]:]), "#"))
		}
		out = append(out, sl)
	}
	return out
}

func isShell(lang string) bool {
	switch lang {
	case "sh", "bash", "shell", "console", "zsh":
		return true
	}
	return false
}

// trafficinatorArgs returns the words after the program name when the
// command runs trafficinator (bin/trafficinator, ./bin/trafficinator or
// trafficinator on the PATH).
func trafficinatorArgs(cmd string) ([]string, bool) {
	words := strings.Fields(cmd)
	if len(words) == 0 {
		return nil, false
	}
	switch words[0] {
	case "trafficinator", "bin/trafficinator", "./bin/trafficinator":
		return words[1:], true
	}
	return nil, false
}

func readmeSource(t *testing.T) string {
	t.Helper()
	return markdownSource(t, readmePath)
}

func markdownSource(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// readmeWorkdir is a scratch copy of what the README's commands read
// (examples/, schema/), with bin/trafficinator, and the scenarios of the
// README's YAML blocks written under their metadata names (smoke.yaml).
func readmeWorkdir(t *testing.T, bin string, scenarios map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for _, sub := range []string{"examples", "schema"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join("../..", sub))); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(bin, filepath.Join(dir, "bin", "trafficinator")); err != nil {
		t.Fatal(err)
	}
	for name, body := range scenarios {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// readmeScenarios returns the scenario YAML blocks by file name
// (metadata.name + ".yaml"), and fails on a YAML block that does not parse.
func readmeScenarios(t *testing.T, src string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, b := range markdownBlocks(src) {
		if b.lang != "yaml" && b.lang != "yml" {
			continue
		}
		var doc map[string]any
		if err := yaml.Unmarshal([]byte(b.body), &doc); err != nil {
			t.Errorf("README.md:%d: the YAML block does not parse: %v", b.line, err)
			continue
		}
		api, _ := doc["apiVersion"].(string)
		if !strings.HasPrefix(api, "trafficinator/") {
			continue // a compose file, a workflow, a fragment: parsing is its check
		}
		md, _ := doc["metadata"].(map[string]any)
		name, _ := md["name"].(string)
		if name == "" {
			t.Errorf("README.md:%d: a scenario block without metadata.name", b.line)
			continue
		}
		out[name+".yaml"] = b.body
	}
	return out
}

// readmeEnv is the environment of the README's commands: every ${VAR} of
// the README's scenarios and of the examples gets a dummy value (the
// README's smoke.yaml reads MATOMO_TOKEN), so that validate and plan see
// complete scenarios whatever they make of unset variables.
func readmeEnv(dir string, scenarios map[string]string) []string {
	env := append(os.Environ(), "NO_COLOR=1", "PATH="+filepath.Join(dir, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"))
	bodies := []string{}
	for _, body := range scenarios {
		bodies = append(bodies, body)
	}
	_ = filepath.WalkDir(filepath.Join(dir, "examples"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, err := os.ReadFile(path); err == nil {
				bodies = append(bodies, string(data))
			}
		}
		return nil
	})
	for _, body := range bodies {
		for _, m := range envRef.FindAllStringSubmatch(body, -1) {
			env = append(env, m[1]+"=dummy-"+strings.ToLower(m[1]))
		}
	}
	return env
}

// Every scenario of the README validates with no diagnostic, plans, and
// its modeline points at a schema file that exists (relative to the
// README, where the README's own commands run).
func TestReadmeScenarios(t *testing.T) {
	scenarios := readmeScenarios(t, readmeSource(t))
	if len(scenarios) == 0 {
		t.Fatal("the README has no scenario block")
	}
	bin := builtBinary(t)
	dir := readmeWorkdir(t, bin, scenarios)
	env := readmeEnv(dir, scenarios)
	for name, body := range scenarios {
		for _, args := range [][]string{{"validate", name}, {"plan", name}} {
			cmd := exec.Command(bin, args...)
			cmd.Dir, cmd.Env = dir, env
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("%v: %v\n%s", args, err, out)
			}
			if args[0] == "validate" && string(out) != "1 file(s) checked: 1 valid, 0 invalid (0 errors, 0 warnings)\n" {
				t.Errorf("%v printed:\n%s", args, out)
			}
		}
		if ref, ok := strings.CutPrefix(strings.SplitN(body, "\n", 2)[0], modelinePrefix); ok && !strings.Contains(ref, "://") {
			if _, err := os.Stat(filepath.Join("../..", ref)); err != nil {
				t.Errorf("%s: the modeline points at %s, which does not exist beside the README", name, ref)
			}
		}
	}
}

// diagLine is a diagnostic as validate prints it.
var diagLine = regexp.MustCompile(`^([\w./-]+\.ya?ml):(\d+):(\d+): (error|warning): (.+)$`)

// Every diagnostic the README shows is what validate prints for the
// README's scenario of that name with the quoted source line in place of
// its line: the same position, message, source line and caret.
func TestReadmeDiagnostics(t *testing.T) {
	src := readmeSource(t)
	scenarios := readmeScenarios(t, src)
	bin := builtBinary(t)
	checked := 0
	for _, b := range markdownBlocks(src) {
		lines := strings.Split(strings.TrimSuffix(b.body, "\n"), "\n")
		for i, l := range lines {
			m := diagLine.FindStringSubmatch(l)
			if m == nil {
				continue
			}
			body, ok := scenarios[m[1]]
			if !ok {
				t.Errorf("README.md:%d: a diagnostic for %s, which no scenario block of the README defines", b.line+i, m[1])
				continue
			}
			lineNo, _ := strconv.Atoi(m[2])
			fileLines := strings.Split(body, "\n")
			if lineNo < 1 || lineNo > len(fileLines) || i+2 >= len(lines) {
				t.Errorf("README.md:%d: line %d is outside %s, or the block lacks the source line and caret", b.line+i, lineNo, m[1])
				continue
			}
			// The README shows the mistake on the quoted line: put it there
			// (validate quotes a source line behind two spaces), unless the
			// quote hides a secret.
			if quoted := strings.TrimPrefix(lines[i+1], "  "); !strings.Contains(quoted, "[redacted]") {
				fileLines[lineNo-1] = quoted
			}
			scenarios := map[string]string{m[1]: strings.Join(fileLines, "\n")}
			dir := readmeWorkdir(t, bin, scenarios)
			// The command that printed it: the last one of the same section
			// that names the file, else validate.
			cmdline := "trafficinator validate " + m[1]
			if c := commandBefore(src, b.line, m[1]); c != "" {
				cmdline = c
			}
			if args, _ := trafficinatorArgs(cmdline); len(args) > 0 && args[0] == "apply" && !allSink(exampleDoc(t, filepath.Join(dir, m[1]))) {
				t.Logf("README.md:%d: shown for %q, not run (its targets are not all the built-in sink)", b.line+i, cmdline)
				continue
			}
			cmd := exec.Command("bash", "-c", hostPort.ReplaceAllString(cmdline, "127.0.0.1:0"))
			cmd.Dir, cmd.Env = dir, readmeEnv(dir, scenarios)
			out, _ := cmd.CombinedOutput()
			// What the README shows of this diagnostic: up to the next one.
			end := i + 1
			for end < len(lines) && !diagLine.MatchString(lines[end]) {
				end++
			}
			want := strings.Join(lines[i:end], "\n") + "\n"
			if !strings.Contains(string(out), want) {
				t.Errorf("README.md:%d shows\n%s\n`%s` prints\n%s", b.line+i, want, cmdline, out)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Error("the README shows no diagnostic; this test checks the one it used to show")
	}
}

// commandBefore returns the last trafficinator command of the shell blocks
// between the heading above line and line that names file, or "".
func commandBefore(src string, line int, file string) string {
	blocks := markdownBlocks(src)
	inBlock := func(n int) bool {
		for _, b := range blocks {
			if n >= b.line-1 && n < b.line+strings.Count(b.body, "\n") {
				return true
			}
		}
		return false
	}
	section := 0
	for n, l := range strings.Split(src, "\n") {
		if n+1 >= line {
			break
		}
		if strings.HasPrefix(l, "#") && !inBlock(n+1) {
			section = n + 1
		}
	}
	found := ""
	for _, b := range blocks {
		if b.line <= section || b.line >= line || !isShell(b.lang) {
			continue
		}
		for _, sl := range shellLines(b) {
			if args, ok := trafficinatorArgs(sl.cmd); ok && slices.Contains(args, file) {
				found = sl.cmd
			}
		}
	}
	return found
}

// Every inline `trafficinator CMD --flag` of the README's prose names a
// command and flags that exist.
func TestReadmeInlineCommands(t *testing.T) {
	bin := builtBinary(t)
	inline := regexp.MustCompile("`(?:\\./)?(?:bin/)?trafficinator ([a-z][a-z-]*)([^`]*)`")
	helps := map[string]string{}
	for _, m := range inline.FindAllStringSubmatch(readmeSource(t), -1) {
		sub := m[1]
		help, ok := helps[sub]
		if !ok {
			out, err := exec.Command(bin, sub, "--help").CombinedOutput()
			if err != nil {
				t.Errorf("`trafficinator %s`: no such command (%v)", sub, err)
				continue
			}
			help, helps[sub] = string(out), string(out)
		}
		for _, flag := range regexp.MustCompile(`(?:^|\s)(--?[a-z][a-z-]*)`).FindAllStringSubmatch(m[2], -1) {
			if !regexp.MustCompile(`(^|[\s,])` + regexp.QuoteMeta(flag[1]) + `[\s,=]`).MatchString(help) {
				t.Errorf("`trafficinator %s%s`: %s has no flag %s", sub, m[2], sub, flag[1])
			}
		}
	}
}

// hostPort is a fixed HOST:PORT of the README; the tests use port 0, so
// that the command picks a free one.
var hostPort = regexp.MustCompile(`\b(127\.0\.0\.1|localhost|0\.0\.0\.0):\d+\b`)

var expectedExit = regexp.MustCompile(`\bexits? (?:with )?(\d+)\b`)

// Every command of the README's shell blocks, in order, in a scratch copy
// of what they read: trafficinator commands run against the built binary
// (apply only on scenarios whose targets are all the built-in sink, cut
// short with --duration and --max-visits; servers on port 0 until they
// listen); make lines name existing targets and are not run (make test
// would run this test); install and container lines pass `bash -n`.
// The same holds for the README of examples/, whose commands run from the
// repository's root as well.
func TestReadmeCommands(t *testing.T) {
	for _, f := range []struct {
		name    string
		minRuns int
	}{{"README.md", 5}, {"examples/README.md", 1}} {
		t.Run(f.name, func(t *testing.T) { markdownCommands(t, f.name, f.minRuns) })
	}
}

func markdownCommands(t *testing.T, name string, minRuns int) {
	src := markdownSource(t, filepath.Join("../..", name))
	scenarios := readmeScenarios(t, src)
	bin := builtBinary(t)
	dir := readmeWorkdir(t, bin, scenarios)
	env := readmeEnv(dir, scenarios)
	makefile, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, b := range markdownBlocks(src) {
		if !isShell(b.lang) {
			continue
		}
		for _, sl := range shellLines(b) {
			where := fmt.Sprintf("%s:%d: %s", name, sl.line, sl.cmd)
			if out, err := exec.Command("bash", "-n", "-c", sl.cmd).CombinedOutput(); err != nil {
				t.Errorf("%s: not valid shell: %s", where, out)
				continue
			}
			args, ok := trafficinatorArgs(sl.cmd)
			if !ok {
				if w := strings.Fields(sl.cmd); w[0] == "make" {
					for _, target := range w[1:] {
						if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(target) + `:`).Match(makefile) {
							t.Errorf("%s: the Makefile has no target %s", where, target)
						}
					}
				}
				continue // go install, downloads, docker: syntax only
			}
			if len(args) == 0 {
				continue
			}
			want := 0
			if m := expectedExit.FindStringSubmatch(sl.comment); m != nil {
				want, _ = strconv.Atoi(m[1])
			}
			cmdline := hostPort.ReplaceAllString(sl.cmd, "127.0.0.1:0")
			switch args[0] {
			case "apply":
				file := firstScenarioArg(args[1:])
				if file == "" || !allSink(exampleDoc(t, filepath.Join(dir, file))) {
					t.Logf("%s: not run (its targets are not all the built-in sink)", where)
					continue
				}
				cmdline = injectFlags(cmdline, "--duration 1s --max-visits 2")
			case "sink", "ui":
				runReadmeServer(t, where, cmdline, dir, env)
				ran++
				continue
			case "verify":
				t.Logf("%s: not run (it reads a Matomo's Reporting API)", where)
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			cmd := exec.CommandContext(ctx, "bash", "-c", cmdline)
			cmd.Dir, cmd.Env = dir, env
			out, err := cmd.CombinedOutput()
			cancel()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			if code != want {
				t.Errorf("%s: exit %d, want %d\n%s", where, code, want, out)
			}
			checkRedirect(t, where, cmdline, dir)
			ran++
		}
	}
	if ran < minRuns {
		t.Errorf("only %d commands of %s ran", ran, name)
	}
}

// firstScenarioArg is the first argument naming a YAML file.
func firstScenarioArg(args []string) string {
	for _, a := range args {
		if strings.HasSuffix(a, ".yaml") || strings.HasSuffix(a, ".yml") {
			return a
		}
	}
	return ""
}

// injectFlags adds flags at the end of the command, before any
// redirection or pipe, so that they win over the same flags given earlier.
func injectFlags(cmdline, flags string) string {
	if i := strings.IndexAny(cmdline, ">|"); i >= 0 {
		return strings.TrimSpace(cmdline[:i]) + " " + flags + " " + cmdline[i:]
	}
	return cmdline + " " + flags
}

// checkRedirect checks that a `> FILE` of the command was written, and is
// JSON when named so.
func checkRedirect(t *testing.T, where, cmdline, dir string) {
	t.Helper()
	m := regexp.MustCompile(`>\s*([\w./-]+)\s*$`).FindStringSubmatch(cmdline)
	if m == nil {
		return
	}
	data, err := os.ReadFile(filepath.Join(dir, m[1]))
	if err != nil || len(data) == 0 {
		t.Errorf("%s: %s was not written (%v)", where, m[1], err)
		return
	}
	if strings.HasSuffix(m[1], ".json") && !json.Valid(data) {
		t.Errorf("%s: %s is not JSON", where, m[1])
	}
}

// runReadmeServer starts a long-running command (the sink), waits until it
// says it listens, then interrupts it: it must stop cleanly (exit 0).
func runReadmeServer(t *testing.T, where, cmdline, dir string, env []string) {
	t.Helper()
	cmd := exec.Command("bash", "-c", "exec "+cmdline)
	cmd.Dir, cmd.Env = dir, env
	// The sink says where it listens on stdout, ui on stderr.
	out, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = w, w
	err = cmd.Start()
	_ = w.Close()
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	listening := make(chan string, 1)
	go func() {
		defer out.Close()
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "listening on http://127.0.0.1:") || strings.HasPrefix(sc.Text(), "control page at http://127.0.0.1:") {
				listening <- sc.Text()
			}
		}
		close(listening)
	}()
	select {
	case l, ok := <-listening:
		if !ok {
			t.Errorf("%s: exited without listening", where)
		} else {
			t.Logf("%s: %s", where, l)
		}
	case <-time.After(20 * time.Second):
		t.Errorf("%s: not listening after 20s", where)
	}
	_ = cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("%s: on interrupt: %v", where, err)
		}
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		t.Errorf("%s: still running 20s after an interrupt", where)
	}
}
