package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// reorderArgs moves a command's flags in front of its positional arguments.
// urfave/cli v2 stops parsing flags at the first positional argument
// (urfave/cli#1177), so "validate examples/ --format json" would read
// "--format" as a path. Users of k6 and kubectl expect flags anywhere.
func reorderArgs(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	out := []string{args[0]}
	rest := args[1:]
	// Global flags before the command name stay where they are.
	for len(rest) > 0 && strings.HasPrefix(rest[0], "-") {
		out = append(out, rest[0])
		rest = rest[1:]
	}
	cmds := app.Commands
	for len(rest) > 0 {
		cmd := findCommand(cmds, rest[0])
		if cmd == nil {
			return append(out, rest...)
		}
		out = append(out, rest[0])
		rest = rest[1:]
		if len(cmd.Subcommands) > 0 && len(rest) > 0 && findCommand(cmd.Subcommands, rest[0]) != nil {
			cmds = cmd.Subcommands
			continue
		}
		for _, a := range rest {
			if a == "--" {
				break
			}
			switch a {
			case "--version":
				// Every command answers --version, as the app does.
				return []string{args[0], "--version"}
			case "--help", "-h":
				// Help wins over positional arguments, which urfave/cli
				// would take for help topics.
				return append(out, "--help")
			}
		}
		return append(out, splitFlags(cmd.Flags, rest)...)
	}
	return out
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// splitFlags returns the flags (with their values) followed by the
// positional arguments, each group in its original order. "--" ends flags.
func splitFlags(flags []cli.Flag, args []string) []string {
	var fl, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		fl = append(fl, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if takesValue(flags, name) {
			if i+1 == len(args) {
				// The value is missing: the flags alone, so that the
				// parser says so rather than read "--" as the value.
				return fl
			}
			i++
			fl = append(fl, args[i])
		}
	}
	if len(pos) == 0 {
		return fl
	}
	return append(append(fl, "--"), pos...)
}

func takesValue(flags []cli.Flag, name string) bool {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n != name {
				continue
			}
			if _, ok := f.(*cli.BoolFlag); ok {
				return false
			}
			return true
		}
	}
	return false
}
