package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner"
)

// stateFlags are apply's journal flags (docs/backfill.md#the-journal).
func stateFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "state", Usage: "write the journal (the resume state) to `FILE` as the run goes (default: beside --out as REPORT.state)"},
		&cli.StringFlag{Name: "resume", Usage: "backfill: send what the journal `FILE` of an earlier run did not deliver"},
		&cli.BoolFlag{Name: "resend-unknown", Usage: "with --resume: also resend hits whose outcome is unknown (Matomo may record them twice)"},
	}
}

// readResume reads the journal given to --resume, or nil without one.
func readResume(c *cli.Context) (*runner.JournalState, error) {
	path := c.String("resume")
	if path == "" {
		if c.Bool("resend-unknown") {
			return nil, exit(exitUsage, "--resend-unknown needs --resume")
		}
		return nil, nil
	}
	st, info, err := runner.ReadJournal(path)
	if err != nil {
		if data, rerr := os.ReadFile(path); rerr == nil && bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
			return nil, exit(exitUsage, "--resume: %s is a report; --resume takes the journal of the run (--state, by default REPORT.state beside --out): a report cannot tell which hits were delivered", path)
		}
		return nil, exit(exitUsage, "--resume: %s: %v", path, err)
	}
	if info.Ignored > 0 {
		fmt.Fprintf(c.App.ErrWriter, "--resume: %s ends with a torn record (%d bytes, a write cut short): ignored; its hits were not sent\n", path, info.Ignored)
	}
	return st, nil
}

// statePath chooses the journal file: --state, else the journal being
// resumed, else REPORT.state beside --out, else the default path of the
// scenario. An explicit --state that exists is refused unless it is the
// journal resumed: it may hold the only record of an interrupted run.
func statePath(c *cli.Context) (string, error) {
	path, resume := c.String("state"), c.String("resume")
	switch {
	case path != "":
		if _, err := os.Stat(path); err == nil && (resume == "" || !samePath(path, resume)) {
			return "", exit(exitUsage, "--state: %s exists; resume it with --resume %s, or remove it", path, path)
		}
		return path, nil
	case resume != "":
		return resume, nil
	case c.String("out") != "":
		return c.String("out") + ".state", nil
	}
	return defaultStatePath(c.Args().First())
}

// defaultStatePath is $XDG_STATE_HOME/trafficinator/NAME-HASH.state (or
// ~/.local/state/...), NAME the scenario file's name and HASH taken from
// its absolute path: one journal per scenario file, replaced by its next
// run.
func defaultStatePath(scenario string) (string, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", exit(exitUsage, "no --state given and no home directory for the default journal: %v", err)
		}
		dir = filepath.Join(home, ".local", "state")
	}
	dir = filepath.Join(dir, "trafficinator")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", exit(exitUsage, "the default journal folder: %v (give --state FILE)", err)
	}
	abs, err := filepath.Abs(scenario)
	if err != nil {
		abs = scenario
	}
	sum := sha256.Sum256([]byte(abs))
	name := strings.TrimSuffix(filepath.Base(scenario), filepath.Ext(scenario))
	return filepath.Join(dir, name+"-"+hex.EncodeToString(sum[:4])+".state"), nil
}
