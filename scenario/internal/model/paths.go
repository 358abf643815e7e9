package model

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/dotenv"
)

// ErrNoPath is returned for a path that does not exist.
var ErrNoPath = errors.New("no such file or directory")

// CollectFiles expands paths into the scenario files to check: a file is
// taken as given, a directory is searched recursively for *.yaml and *.yml.
// The result is sorted within each directory so output is stable.
func CollectFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, ErrNoPath)
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != p && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir // .git and friends
			}
			if !d.IsDir() && isYAMLName(d.Name()) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

func isYAMLName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

// LoadPaths loads every scenario under paths (LoadWalk without the
// skipped files).
func LoadPaths(paths []string, opts Options) ([]*Result, error) {
	out, _, err := LoadWalk(paths, opts)
	return out, err
}

// LoadWalk loads every scenario under paths, and names the files it
// skipped. Files found by walking a directory are skipped when they are
// not Trafficinator's (ownFile: compose files, CI workflows, Kubernetes
// manifests) or when their kind is set to something other than Scenario;
// a file named explicitly is always checked.
func LoadWalk(paths []string, opts Options) (results []*Result, skipped []string, err error) {
	explicit := map[string]bool{}
	for _, p := range paths {
		explicit[p] = true
	}
	files, err := CollectFiles(paths)
	if err != nil {
		return nil, nil, err
	}
	for _, f := range files {
		if !explicit[f] {
			if data, err := readLimited(f); err == nil && !ownFile(data) {
				skipped = append(skipped, f)
				continue
			}
		}
		r := LoadFile(f, opts)
		// EqualFold: "kind: scenario" is a typo to report, not a reason to
		// skip the file and pass in silence.
		if !explicit[f] && r.Kind != "" && !strings.EqualFold(r.Kind, Kind) {
			skipped = append(skipped, f)
			continue
		}
		results = append(results, r)
	}
	return results, skipped, nil
}

// EnvLookup resolves ${VAR} from the process environment first and then
// from the given .env files (later files win), as docker compose does.
func EnvLookup(envFiles []string) (Lookup, diag.List) {
	merged := map[string]string{}
	var diags diag.List
	for _, path := range envFiles {
		data, err := readLimited(path)
		if err != nil {
			diags = append(diags, diag.Diagnostic{File: path, Severity: diag.Error, Message: err.Error()})
			continue
		}
		f, d := dotenv.Parse(path, data)
		diags = append(diags, d...)
		for k, v := range f.Expand(os.LookupEnv) {
			merged[k] = v
		}
	}
	return func(name string) (string, bool) {
		if v, ok := os.LookupEnv(name); ok {
			return v, true
		}
		v, ok := merged[name]
		return v, ok
	}, diags
}
