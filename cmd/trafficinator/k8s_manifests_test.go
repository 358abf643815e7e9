package main

import (
	"encoding/json"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	k8syaml "sigs.k8s.io/yaml"
)

// The Kubernetes example (examples/k8s) is decoded strictly with the API
// types, so that a misspelt or misplaced field fails here rather than in
// a user's cluster (kubectl would drop it with a warning at best).
// k8s.io/api is a test-only dependency: nothing but _test.go files
// import it.

var k8sDir = filepath.Join(examplesDir, "k8s")

// k8sObjects are the decoded manifests of a folder.
type k8sObjects struct {
	jobs       map[string]*batchv1.Job
	configMaps map[string]*corev1.ConfigMap
	claims     map[string]*corev1.PersistentVolumeClaim
}

// docSeparator is a line `---` between the documents of a YAML stream.
var docSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

// decodeStrict decodes one manifest into the API type of its kind,
// refusing unknown and duplicate fields.
func decodeStrict(objs *k8sObjects, doc []byte) error {
	var meta struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := k8syaml.Unmarshal(doc, &meta); err != nil {
		return err
	}
	var err error
	switch meta.APIVersion + " " + meta.Kind {
	case "batch/v1 Job":
		var o batchv1.Job
		if err = k8syaml.UnmarshalStrict(doc, &o); err == nil {
			objs.jobs[o.Name] = &o
		}
	case "v1 ConfigMap":
		var o corev1.ConfigMap
		if err = k8syaml.UnmarshalStrict(doc, &o); err == nil {
			objs.configMaps[o.Name] = &o
		}
	case "v1 PersistentVolumeClaim":
		var o corev1.PersistentVolumeClaim
		if err = k8syaml.UnmarshalStrict(doc, &o); err == nil {
			objs.claims[o.Name] = &o
		}
	default:
		return &unknownKindError{meta.APIVersion, meta.Kind}
	}
	return err
}

type unknownKindError struct{ apiVersion, kind string }

func (e *unknownKindError) Error() string {
	return "no API type in this test for apiVersion " + e.apiVersion + " kind " + e.kind
}

// decodeK8sDir decodes every document of every .yaml file of dir, except
// the scenario itself.
func decodeK8sDir(t *testing.T, dir string) *k8sObjects {
	t.Helper()
	objs := &k8sObjects{map[string]*batchv1.Job{}, map[string]*corev1.ConfigMap{}, map[string]*corev1.PersistentVolumeClaim{}}
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if filepath.Base(f) == "scenario.yaml" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range docSeparator.Split(string(data), -1) {
			if strings.TrimSpace(doc) == "" {
				continue
			}
			if err := decodeStrict(objs, []byte(doc)); err != nil {
				t.Errorf("%s, document %d: %v", f, i+1, err)
			}
		}
	}
	return objs
}

// flagValue returns the argument after flag in args, and whether it is there.
func flagValue(args []string, flag string) (string, bool) {
	i := slices.Index(args, flag)
	if i < 0 || i+1 >= len(args) {
		return "", false
	}
	return args[i+1], true
}

func envVar(c corev1.Container, name string) (corev1.EnvVar, bool) {
	i := slices.IndexFunc(c.Env, func(e corev1.EnvVar) bool { return e.Name == name })
	if i < 0 {
		return corev1.EnvVar{}, false
	}
	return c.Env[i], true
}

// claimMountedAt returns the PersistentVolumeClaim that a pod mounts at dir.
func claimMountedAt(spec corev1.PodSpec, c corev1.Container, dir string) string {
	for _, m := range c.VolumeMounts {
		if m.MountPath != dir {
			continue
		}
		for _, v := range spec.Volumes {
			if v.Name == m.Name && v.PersistentVolumeClaim != nil {
				return v.PersistentVolumeClaim.ClaimName
			}
		}
	}
	return ""
}

// TestK8sManifestsDecodeStrictly: the example's objects are all there
// and every field is one the API knows.
func TestK8sManifestsDecodeStrictly(t *testing.T) {
	objs := decodeK8sDir(t, k8sDir)
	if len(objs.jobs) != 2 || objs.jobs["trafficinator-shards"] == nil || objs.jobs["trafficinator-merge"] == nil {
		t.Errorf("jobs: %v, want trafficinator-shards and trafficinator-merge", slices.Sorted(maps.Keys(objs.jobs)))
	}
	if len(objs.configMaps) != 1 || objs.configMaps["trafficinator-scenario"] == nil {
		t.Errorf("config maps: %v, want trafficinator-scenario", slices.Sorted(maps.Keys(objs.configMaps)))
	}
	if len(objs.claims) != 1 || objs.claims["trafficinator-reports"] == nil {
		t.Fatalf("claims: %v, want trafficinator-reports", slices.Sorted(maps.Keys(objs.claims)))
	}
	if got := objs.claims["trafficinator-reports"].Spec.AccessModes; !slices.Equal(got, []corev1.PersistentVolumeAccessMode{corev1.ReadWriteMany}) {
		t.Errorf("reports claim access modes %v, want ReadWriteMany: the shards' pods may run on different nodes", got)
	}
}

// Strict decoding is what catches a misspelt field: the same Job with
// completionMode misspelt is refused, naming the field.
func TestK8sStrictDecodeRefusesUnknownField(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(k8sDir, "job.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(data), "  completionMode: Indexed", "  completionMod: Indexed", 1)
	if bad == string(data) {
		t.Fatal("job.yaml has no completionMode line to misspell")
	}
	objs := &k8sObjects{map[string]*batchv1.Job{}, nil, nil}
	err = decodeStrict(objs, []byte(bad))
	if err == nil || !strings.Contains(err.Error(), `unknown field "completionMod"`) {
		t.Errorf("decode of a misspelt field: %v, want unknown field \"completionMod\"", err)
	}
}

// TestK8sShardJob checks what makes the Indexed Job split the scenario:
// one pod per shard, each knowing its index and the count, one run id,
// the token from a Secret, and the reports on the shared volume.
func TestK8sShardJob(t *testing.T) {
	objs := decodeK8sDir(t, k8sDir)
	job := objs.jobs["trafficinator-shards"]
	if job == nil {
		t.Fatal("no Job trafficinator-shards")
	}
	s := job.Spec
	if s.CompletionMode == nil || *s.CompletionMode != batchv1.IndexedCompletion {
		t.Errorf("completionMode %v, want Indexed: only an Indexed Job sets JOB_COMPLETION_INDEX", s.CompletionMode)
	}
	if s.Completions == nil || s.Parallelism == nil || *s.Completions != *s.Parallelism || *s.Completions < 2 {
		t.Fatalf("completions %s, parallelism %s: want them equal, at least 2", optInt(s.Completions), optInt(s.Parallelism))
	}
	n := int(*s.Completions)
	pod := s.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]
	if count, _ := envVar(c, "TRAFFICINATOR_SHARD_COUNT"); count.Value != strconv.Itoa(n) {
		t.Errorf("TRAFFICINATOR_SHARD_COUNT %q, want %d (= completions)", count.Value, n)
	}
	index, _ := envVar(c, "JOB_COMPLETION_INDEX")
	if index.ValueFrom == nil || index.ValueFrom.FieldRef == nil ||
		index.ValueFrom.FieldRef.FieldPath != "metadata.annotations['batch.kubernetes.io/job-completion-index']" {
		t.Errorf("JOB_COMPLETION_INDEX %+v, want the job-completion-index annotation", index)
	}
	if c.Args[0] != "apply" {
		t.Errorf("args %q, want apply first", c.Args)
	}
	if v, _ := flagValue(c.Args, "--shard"); v != "auto" {
		t.Errorf("--shard %q, want auto", v)
	}
	runID, _ := flagValue(c.Args, "--run-id")
	if env, _ := envVar(c, "RUN_ID"); runID != "$(RUN_ID)" || env.Value == "" {
		t.Errorf("--run-id %q with RUN_ID %q, want $(RUN_ID) with a value: all shards share one run id", runID, env.Value)
	}
	if token, _ := envVar(c, "MATOMO_TOKEN"); token.Value != "" || token.ValueFrom == nil || token.ValueFrom.SecretKeyRef == nil ||
		token.ValueFrom.SecretKeyRef.Name != "matomo-token" || token.ValueFrom.SecretKeyRef.Key != "token" {
		t.Errorf("MATOMO_TOKEN %+v, want a secretKeyRef to matomo-token/token", token)
	}
	out, _ := flagValue(c.Args, "--out")
	if out != "/reports/shard-$(JOB_COMPLETION_INDEX).json" {
		t.Errorf("--out %q, want a file per index on /reports", out)
	}
	if claim := claimMountedAt(pod, c, path.Dir(out)); objs.claims[claim] == nil {
		t.Errorf("%s is not a mounted claim of the example (got %q)", path.Dir(out), claim)
	}
	if pod.SecurityContext == nil || pod.SecurityContext.FSGroup == nil || *pod.SecurityContext.FSGroup != 65532 {
		t.Errorf("pod securityContext %+v, want fsGroup 65532: the image's user writes the reports", pod.SecurityContext)
	}
	// The scenario is the ConfigMap's, mounted where the last argument says.
	scenarioPath := c.Args[len(c.Args)-1]
	var cm string
	for _, m := range c.VolumeMounts {
		for _, v := range pod.Volumes {
			if v.Name == m.Name && v.ConfigMap != nil && path.Join(m.MountPath, "scenario.yaml") == scenarioPath {
				cm = v.ConfigMap.Name
			}
		}
	}
	if objs.configMaps[cm] == nil || objs.configMaps[cm].Data["scenario.yaml"] == "" {
		t.Errorf("%s is not the scenario.yaml of a ConfigMap of the example (config map %q)", scenarioPath, cm)
	}
}

func optInt(p *int32) string {
	if p == nil {
		return "unset"
	}
	return strconv.Itoa(int(*p))
}

// TestK8sMergeJob: the merge reads exactly the n shard reports, from the
// same claim, and writes the merged report there.
func TestK8sMergeJob(t *testing.T) {
	objs := decodeK8sDir(t, k8sDir)
	shards, merge := objs.jobs["trafficinator-shards"], objs.jobs["trafficinator-merge"]
	if shards == nil || merge == nil || shards.Spec.Completions == nil {
		t.Fatal("the shard and merge Jobs are needed")
	}
	n := int(*shards.Spec.Completions)
	shardOut, _ := flagValue(shards.Spec.Template.Spec.Containers[0].Args, "--out")
	c := merge.Spec.Template.Spec.Containers[0]
	if len(c.Args) < 2 || c.Args[0] != "report" || c.Args[1] != "merge" {
		t.Fatalf("args %q, want report merge", c.Args)
	}
	var inputs []string
	for i := 2; i < len(c.Args); i++ {
		if strings.HasPrefix(c.Args[i], "--") {
			i++ // the flag's value
			continue
		}
		inputs = append(inputs, c.Args[i])
	}
	var want []string
	for i := range n {
		want = append(want, strings.ReplaceAll(shardOut, "$(JOB_COMPLETION_INDEX)", strconv.Itoa(i)))
	}
	if !slices.Equal(inputs, want) {
		t.Errorf("merge inputs %q, want %q", inputs, want)
	}
	shardClaim := claimMountedAt(shards.Spec.Template.Spec, shards.Spec.Template.Spec.Containers[0], path.Dir(shardOut))
	if claim := claimMountedAt(merge.Spec.Template.Spec, c, path.Dir(shardOut)); claim == "" || claim != shardClaim {
		t.Errorf("merge mounts %q at %s, the shards %q", claim, path.Dir(shardOut), shardClaim)
	}
	if out, _ := flagValue(c.Args, "--out"); path.Dir(out) != path.Dir(shardOut) {
		t.Errorf("merged report %q, want it on the reports volume", out)
	}
	if merge.Spec.BackoffLimit == nil || *merge.Spec.BackoffLimit != 0 || shards.Spec.BackoffLimit == nil || *shards.Spec.BackoffLimit != 0 {
		t.Errorf("backoffLimit %s (merge), %s (shards), want 0: a retried shard sends its visits twice", optInt(merge.Spec.BackoffLimit), optInt(shards.Spec.BackoffLimit))
	}
}

// TestK8sConfigMapScenario: the ConfigMap's scenario validates with no
// diagnostic, reads its token from the environment, and compiles to the
// same plan digest as examples/k8s/scenario.yaml, so that the shards in
// the cluster and the CI matrix run one scenario.
func TestK8sConfigMapScenario(t *testing.T) {
	t.Setenv("MATOMO_TOKEN", "dummy-matomo-token")
	objs := decodeK8sDir(t, k8sDir)
	cm := objs.configMaps["trafficinator-scenario"]
	if cm == nil {
		t.Fatal("no ConfigMap trafficinator-scenario")
	}
	text := cm.Data["scenario.yaml"]
	if strings.Contains(text, "dummy-matomo-token") || !strings.Contains(text, "token_auth: ${MATOMO_TOKEN}") {
		t.Errorf("the ConfigMap's scenario must read its token from ${MATOMO_TOKEN}, never inline")
	}
	file := filepath.Join(t.TempDir(), "scenario.yaml")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "validate", file)
	if code != exitOK || stdout != "" || stderr != "1 file(s) checked: 1 valid, 0 invalid (0 errors, 0 warnings)\n" {
		t.Fatalf("validate of the ConfigMap's scenario: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if got, want := planDigest(t, file), planDigest(t, filepath.Join(k8sDir, "scenario.yaml")); got != want || !strings.HasPrefix(got, "sha256:") {
		t.Errorf("ConfigMap scenario digest %s, examples/k8s/scenario.yaml %s: keep them in step", got, want)
	}
}

func planDigest(t *testing.T, file string) string {
	t.Helper()
	code, stdout, stderr := runCLI(t, "plan", "--format", "json", file)
	if code != exitOK {
		t.Fatalf("plan %s: exit %d\n%s", file, code, stderr)
	}
	var plan struct {
		Digest string `json:"digest"`
	}
	if err := json.Unmarshal([]byte(stdout), &plan); err != nil {
		t.Fatal(err)
	}
	return plan.Digest
}

// `validate examples/k8s` checks the scenario and skips the manifests:
// they are not trafficinator files, and not errors.
func TestValidateSkipsK8sManifests(t *testing.T) {
	t.Setenv("MATOMO_TOKEN", "dummy-matomo-token")
	code, stdout, stderr := runCLI(t, "validate", k8sDir)
	want := "1 file(s) checked: 1 valid, 0 invalid (0 errors, 0 warnings), 4 skipped (not trafficinator files)\n"
	if code != exitOK || stdout != "" || stderr != want {
		t.Errorf("exit %d\nstdout:\n%s\nstderr: %q, want %q", code, stdout, stderr, want)
	}
}
