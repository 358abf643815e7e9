package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// completionShells are the shells `completion` writes a script for.
var completionShells = []string{"bash", "zsh", "fish"}

// completionCommand prints a static completion script, generated from the
// command tree: commands, subcommands and flags. Static, so completing
// never runs trafficinator (urfave/cli's bash completion would, and it
// does not know about zsh or fish, nor about flags after arguments).
func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: bash, zsh or fish",
		ArgsUsage: "bash|zsh|fish",
		Description: "bash: source <(trafficinator completion bash), or save it in /etc/bash_completion.d/. " +
			"zsh: trafficinator completion zsh > \"${fpath[1]}/_trafficinator\". " +
			"fish: trafficinator completion fish > ~/.config/fish/completions/trafficinator.fish.",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 || !slices.Contains(completionShells, c.Args().First()) {
				return exit(exitUsage, "completion needs one shell: bash, zsh or fish")
			}
			tree := completionTree(c.App.Name, commands())
			switch c.Args().First() {
			case "bash":
				return writeBashCompletion(c.App.Writer, tree, false)
			case "zsh":
				return writeBashCompletion(c.App.Writer, tree, true)
			default:
				return writeFishCompletion(c.App.Writer, tree)
			}
		},
	}
}

// completionNode is one command as completion sees it: its words after
// the command path (subcommands, or fixed arguments) and its flags.
type completionNode struct {
	path  []string // without the program name
	usage string
	words []string
	flags []completionFlag
	// files: the command takes file arguments.
	files bool
}

type completionFlag struct {
	long, short string
	usage       string
	takesValue  bool
}

// completionTree lists every command below the root, the root first, in
// the order of the help.
func completionTree(name string, cmds []*cli.Command) []completionNode {
	root := completionNode{flags: []completionFlag{
		{long: "help", short: "h", usage: "show help"},
		{long: "version", short: "v", usage: "print the version"},
	}}
	nodes := []completionNode{root}
	var walk func(path []string, cmds []*cli.Command) []string
	walk = func(path []string, cmds []*cli.Command) []string {
		var names []string
		for _, cmd := range cmds {
			if cmd.Hidden {
				continue
			}
			names = append(names, cmd.Name)
			n := completionNode{path: append(slices.Clone(path), cmd.Name), usage: cmd.Usage, flags: flagsOf(cmd)}
			i := len(nodes)
			nodes = append(nodes, n)
			switch {
			case len(cmd.Subcommands) > 0:
				nodes[i].words = walk(n.path, cmd.Subcommands)
			case cmd.Name == "completion":
				nodes[i].words = completionShells
			case cmd.Name == "help":
				// help's topics are the commands beside it.
				nodes[i].words = commandNames(cmds)
			default:
				nodes[i].files = strings.TrimSpace(cmd.ArgsUsage) != ""
			}
		}
		return names
	}
	nodes[0].words = walk(nil, cmds)
	return nodes
}

func flagsOf(cmd *cli.Command) []completionFlag {
	var out []completionFlag
	for _, f := range append(slices.Clone(cmd.Flags), cli.HelpFlag) {
		cf := completionFlag{}
		for _, n := range f.Names() {
			if len(n) == 1 && cf.short == "" {
				cf.short = n
			} else if cf.long == "" {
				cf.long = n
			}
		}
		if d, ok := f.(cli.DocGenerationFlag); ok {
			cf.takesValue = d.TakesValue()
			cf.usage = strings.ReplaceAll(d.GetUsage(), "`", "")
		}
		out = append(out, cf)
	}
	return out
}

// writeBashCompletion writes the bash script; zsh runs the same script
// through bashcompinit, which emulates bash's complete and compgen.
func writeBashCompletion(w io.Writer, tree []completionNode, zsh bool) error {
	var b strings.Builder
	if zsh {
		b.WriteString("#compdef trafficinator\n# zsh completion for trafficinator: trafficinator completion zsh > \"${fpath[1]}/_trafficinator\"\n")
		b.WriteString("autoload -U +X bashcompinit && bashcompinit\n\n")
	} else {
		b.WriteString("# bash completion for trafficinator: source <(trafficinator completion bash)\n\n")
	}
	b.WriteString("# __trafficinator_words PATH: the subcommands or fixed arguments of PATH.\n__trafficinator_words() {\n\tcase \"$1\" in\n")
	for _, n := range tree {
		if len(n.words) > 0 {
			fmt.Fprintf(&b, "\t\"%s\") echo \"%s\" ;;\n", strings.Join(n.path, " "), strings.Join(n.words, " "))
		}
	}
	b.WriteString("\tesac\n}\n\n# __trafficinator_flags PATH: the flags of PATH.\n__trafficinator_flags() {\n\tcase \"$1\" in\n")
	for _, n := range tree {
		var flags []string
		for _, f := range n.flags {
			if f.long != "" {
				flags = append(flags, "--"+f.long)
			}
			if f.short != "" {
				flags = append(flags, "-"+f.short)
			}
		}
		fmt.Fprintf(&b, "\t\"%s\") echo \"%s\" ;;\n", strings.Join(n.path, " "), strings.Join(flags, " "))
	}
	b.WriteString("\tesac\n}\n\n# __trafficinator_files PATH: whether PATH takes file arguments.\n__trafficinator_files() {\n\tcase \"$1\" in\n")
	var files []string
	for _, n := range tree {
		if n.files {
			files = append(files, "\""+strings.Join(n.path, " ")+"\"")
		}
	}
	fmt.Fprintf(&b, "\t%s) return 0 ;;\n\tesac\n\treturn 1\n}\n\n", strings.Join(files, " | "))
	b.WriteString(`__trafficinator_complete() {
	local cur="${COMP_WORDS[COMP_CWORD]}" cmdpath="" word words i
	for ((i = 1; i < COMP_CWORD; i++)); do
		word="${COMP_WORDS[i]}"
		words=" $(__trafficinator_words "$cmdpath") "
		if [[ "$word" != -* && "$words" == *" $word "* ]]; then
			cmdpath="${cmdpath:+$cmdpath }$word"
		fi
	done
	if [[ "$cur" == -* ]]; then
		COMPREPLY=($(compgen -W "$(__trafficinator_flags "$cmdpath")" -- "$cur"))
	elif [[ -n "$(__trafficinator_words "$cmdpath")" ]]; then
		COMPREPLY=($(compgen -W "$(__trafficinator_words "$cmdpath")" -- "$cur"))
	elif __trafficinator_files "$cmdpath"; then
		COMPREPLY=($(compgen -f -- "$cur"))
	else
		COMPREPLY=()
	fi
}

complete -o filenames -o bashdefault -F __trafficinator_complete trafficinator
`)
	if zsh {
		// Autoloaded from $fpath, this file is the body of _trafficinator:
		// the first call also completes, as later calls do through
		// complete's binding.
		b.WriteString(`
if [[ "${funcstack[1]}" == "_trafficinator" ]]; then
	_bash_complete -o filenames -o bashdefault -F __trafficinator_complete
fi
`)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeFishCompletion writes fish's completions: one line per command,
// subcommand and flag, each with its help text.
func writeFishCompletion(w io.Writer, tree []completionNode) error {
	var b strings.Builder
	b.WriteString("# fish completion for trafficinator: trafficinator completion fish > ~/.config/fish/completions/trafficinator.fish\n")
	for _, n := range tree {
		cond := fishCondition(n.path)
		for _, word := range n.words {
			wordCond := cond
			if len(n.path) > 0 {
				// Not once one of them is there (help: its topics
				// are the commands beside it).
				others := slices.DeleteFunc(slices.Clone(n.words), func(w string) bool { return w == n.path[len(n.path)-1] })
				wordCond += "; and not __fish_seen_subcommand_from " + strings.Join(others, " ")
			}
			fmt.Fprintf(&b, "complete -c trafficinator -n %s -f -a %s -d %s\n", fishQuote(wordCond), fishQuote(word), fishQuote(usageOf(tree, n.path, word)))
		}
		for _, f := range n.flags {
			line := "complete -c trafficinator -n " + fishQuote(cond)
			if f.long != "" {
				line += " -l " + f.long
			}
			if f.short != "" {
				line += " -s " + f.short
			}
			if f.takesValue {
				line += " -r"
			}
			fmt.Fprintf(&b, "%s -d %s\n", line, fishQuote(f.usage))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// usageOf is the usage of the command word below path, or of the top
// command word (help's topics), or "" (a shell name).
func usageOf(tree []completionNode, path []string, word string) string {
	for _, want := range [][]string{append(slices.Clone(path), word), {word}} {
		for _, n := range tree {
			if slices.Equal(n.path, want) {
				return n.usage
			}
		}
	}
	return ""
}

// fishCondition is true when the command line is at path: no command yet
// for the root, else every word of path seen.
func fishCondition(path []string) string {
	if len(path) == 0 {
		return "__fish_use_subcommand"
	}
	var parts []string
	for _, p := range path {
		parts = append(parts, "__fish_seen_subcommand_from "+p)
	}
	return strings.Join(parts, "; and ")
}

// fishQuote quotes s for fish: in single quotes, only \ and ' are escaped.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
