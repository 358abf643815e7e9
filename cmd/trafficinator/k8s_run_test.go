package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/trafficinator/trafficinator/targets"
)

// TestK8sJobArgsRun runs the example's Indexed Job as a cluster would, one
// process per completion index: its container's args with $(VAR) expanded
// from its env as Kubernetes does (JOB_COMPLETION_INDEX set to the index,
// the literal values as given), its volume paths mapped to folders of the
// test. The scenario is a small backfill against a loopback sink in place
// of the ConfigMap's (which points at matomo.example.com). Then the merge
// Job's args run the same way: exit 0, one run id, every shard once, the
// whole backfill delivered.
func TestK8sJobArgsRun(t *testing.T) {
	bin := builtBinary(t)
	objs := decodeK8sDir(t, k8sDir)
	shards, merge := objs.jobs["trafficinator-shards"], objs.jobs["trafficinator-merge"]
	if shards == nil || merge == nil || shards.Spec.Completions == nil {
		t.Fatal("the shard and merge Jobs are needed")
	}
	n := int(*shards.Spec.Completions)
	s, err := targets.StartSink(targets.SinkOptions{Sites: []targets.SinkSite{{ID: 1, Tokens: []string{bfToken}}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	dir, scen := writeScenario(t, backfillScenario(s.URL, 2, 30, 0, "10s", ""))
	volumes := map[string]string{"/scenario/": filepath.Dir(scen) + "/", "/reports/": filepath.Join(dir, "reports") + "/"}
	if err := os.Mkdir(volumes["/reports/"], 0o755); err != nil {
		t.Fatal(err)
	}
	// The ConfigMap mounts the scenario as /scenario/scenario.yaml.
	if err := os.Rename(scen, filepath.Join(filepath.Dir(scen), "scenario.yaml")); err != nil {
		t.Fatal(err)
	}

	c := shards.Spec.Template.Spec.Containers[0]
	var wg sync.WaitGroup
	outs := make([]string, n)
	codes := make([]int, n)
	for i := range n {
		env := podEnv(c, map[string]string{"JOB_COMPLETION_INDEX": strconv.Itoa(i), "MATOMO_TOKEN": "unused-by-the-sink-scenario"})
		args := podArgs(c.Args, env, volumes)
		wg.Go(func() {
			cmd := exec.Command(bin, args...)
			cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+dir)
			for k, v := range env {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
			b, err := cmd.CombinedOutput()
			outs[i] = string(b)
			if ee, ok := err.(*exec.ExitError); ok {
				codes[i] = ee.ExitCode()
			} else if err != nil {
				codes[i] = -1
			}
		})
	}
	wg.Wait()
	for i := range n {
		if codes[i] != 0 {
			t.Fatalf("pod %d: exit %d\n%.2000s", i, codes[i], outs[i])
		}
	}
	mc := merge.Spec.Template.Spec.Containers[0]
	margs := podArgs(mc.Args, podEnv(mc, nil), volumes)
	code, _, stderr := runBin(t, bin, margs...)
	if code != 0 {
		t.Fatalf("merge %q: exit %d\n%s", margs, code, stderr)
	}
	out, _ := flagValue(margs, "--out")
	merged := readReport(t, out)
	runID, _ := envVar(c, "RUN_ID")
	if merged.Run.ID != runID.Value || len(merged.MergedFrom) != n {
		t.Fatalf("merged run %q of %d parts, want %q of %d shards", merged.Run.ID, len(merged.MergedFrom), runID.Value, n)
	}
	for i, p := range merged.MergedFrom {
		if p.Shard == nil || p.Shard.Index != i || p.Shard.Count != n {
			t.Errorf("part %d holds shard %v, want %d/%d", i, p.Shard, i, n)
		}
	}
	if c := merged.Total.Counters; c.Visits != 60 || c.OK != c.Hits || s.Stats().Recorded != c.OK {
		t.Errorf("merged: %d visits, %d of %d hits ok, the sink recorded %d; want 60 visits, every hit ok and recorded", c.Visits, c.OK, c.Hits, s.Stats().Recorded)
	}
}

// podEnv is a container's environment as its pod would see it: the
// literal values, and set for the ones Kubernetes fills from elsewhere
// (the completion index, a Secret).
func podEnv(c corev1.Container, set map[string]string) map[string]string {
	env := map[string]string{}
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			env[e.Name] = e.Value
		}
	}
	for k, v := range set {
		env[k] = v
	}
	return env
}

// k8sVarRef is a $(VAR) reference in a container's args.
var k8sVarRef = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// podArgs expands $(VAR) from env as Kubernetes does (an unknown one is
// left as written) and maps the volumes' mount paths to folders.
func podArgs(args []string, env, volumes map[string]string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		a = k8sVarRef.ReplaceAllStringFunc(a, func(ref string) string {
			if v, ok := env[ref[2:len(ref)-1]]; ok {
				return v
			}
			return ref
		})
		for mount, local := range volumes {
			if strings.HasPrefix(a, mount) {
				a = local + strings.TrimPrefix(a, mount)
			}
		}
		out[i] = a
	}
	return out
}
