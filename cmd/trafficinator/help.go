package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// helpCommand is `help [COMMAND [SUBCOMMAND]]`: the same text as
// `COMMAND --help`. urfave/cli's own help command answers an unknown topic
// with exit code 3, which means "the run could not start" here.
func helpCommand() *cli.Command {
	return &cli.Command{
		Name:      "help",
		Usage:     "show the help of trafficinator or of a command",
		ArgsUsage: "[COMMAND [SUBCOMMAND]]",
		Action: func(c *cli.Context) error {
			cmds := c.App.Commands
			path := []string{c.App.Name}
			for _, topic := range c.Args().Slice() {
				cmd := findCommand(cmds, topic)
				if cmd == nil {
					return exit(exitUsage, "no help for %q%s (see 'trafficinator help')",
						strings.Join(append(path[1:], topic), " "), didYouMean(commandNames(cmds), topic))
				}
				path, cmds = append(path, cmd.Name), cmd.Subcommands
			}
			return silentExit(run(append(path, "--help"), c.App.Writer, c.App.ErrWriter))
		},
	}
}

// helpSubcommand is `PARENT help [SUBCOMMAND]`, the same as `help PARENT
// [SUBCOMMAND]`; it replaces urfave/cli's, whose unknown topic is exit 3.
func helpSubcommand(parent string) *cli.Command {
	return &cli.Command{
		Name:      "help",
		Usage:     "show the help of " + parent + " or of one of its commands",
		ArgsUsage: "[COMMAND]",
		Action: func(c *cli.Context) error {
			args := append([]string{c.App.Name, "help", parent}, c.Args().Slice()...)
			return silentExit(run(args, c.App.Writer, c.App.ErrWriter))
		},
	}
}
