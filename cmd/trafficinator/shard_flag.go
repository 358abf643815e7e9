package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner"
)

// Environment variables that --shard auto reads: Kubernetes sets
// JOB_COMPLETION_INDEX in each pod of an Indexed Job but gives no count,
// which the manifests and CI matrices pass in TRAFFICINATOR_SHARD_COUNT.
const (
	envJobIndex   = "JOB_COMPLETION_INDEX"
	envShardIndex = "TRAFFICINATOR_SHARD_INDEX"
	envShardCount = "TRAFFICINATOR_SHARD_COUNT"
)

func shardFlag() cli.Flag {
	return &cli.StringFlag{Name: "shard", Usage: "run only shard `I/N` of the scenario (0-based I < N; needs --run-id), or auto: I from " +
		envJobIndex + " or " + envShardIndex + ", N from " + envShardCount + " (docs/scale.md)"}
}

// shardOption reads --shard: nil when it is not given.
func shardOption(c *cli.Context) (*runner.Shard, error) {
	if !c.IsSet("shard") {
		return nil, nil
	}
	v := c.String("shard")
	if c.String("run-id") == "" {
		return nil, exit(exitUsage, "--shard %s needs --run-id: every shard of a run must share its run id", v)
	}
	s, err := parseShard(v, os.Getenv)
	if err != nil {
		return nil, exit(exitUsage, "--shard %s: %v", v, err)
	}
	return s, nil
}

// parseShard parses I/N or auto (reading the environment through env).
func parseShard(v string, env func(string) string) (*runner.Shard, error) {
	var is, ns string
	if v == "auto" {
		is, ns = env(envJobIndex), env(envShardCount)
		if is == "" {
			is = env(envShardIndex)
		}
		if is == "" {
			return nil, fmt.Errorf("neither %s nor %s is set: auto needs the shard index from one of them", envJobIndex, envShardIndex)
		}
		if ns == "" {
			return nil, fmt.Errorf("%s is not set: auto needs the shard count from it", envShardCount)
		}
	} else {
		var ok bool
		is, ns, ok = strings.Cut(v, "/")
		if !ok {
			return nil, fmt.Errorf("want I/N (for example 0/4) or auto")
		}
	}
	i, err := strconv.Atoi(strings.TrimSpace(is))
	if err != nil {
		return nil, fmt.Errorf("shard index %q is not a whole number", is)
	}
	n, err := strconv.Atoi(strings.TrimSpace(ns))
	if err != nil {
		return nil, fmt.Errorf("shard count %q is not a whole number", ns)
	}
	if n < 1 {
		return nil, fmt.Errorf("shard count %d: want at least 1", n)
	}
	if i < 0 || i >= n {
		return nil, fmt.Errorf("shard index %d: want 0 to %d (indexes are 0-based)", i, n-1)
	}
	return &runner.Shard{Index: i, Count: n}, nil
}
