package model

import (
	"os"

	"github.com/trafficinator/trafficinator/scenario/internal/convert"
	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// converted finds out whether a file is of an older format that the
// registry converts to APIVersion (a legacy .env file, in the manner of
// Caddy's config adapters), and returns the chain's first converter. A
// file that already is APIVersion, or of a version no chain leads from,
// is loaded as it is: the schema then says what is wrong with it.
func converted(reg *convert.Registry, path string, data []byte) (string, convert.Converter, bool) {
	if reg == nil {
		return "", convert.Converter{}, false
	}
	version := reg.Detect(path, data)
	if version == "" || version == APIVersion {
		return "", convert.Converter{}, false
	}
	chain, err := reg.Chain(version, APIVersion)
	if err != nil || len(chain) == 0 {
		return "", convert.Converter{}, false
	}
	return version, chain[0], true
}

// loadConverted converts a file through the registry, in memory, and loads
// the result: validate, plan and apply then behave exactly as with the
// converted YAML, as `trafficinator migrate` would write it. Diagnostics
// about the converted YAML name the file "PATH (migrated)", since their
// lines are the YAML's; the original file keeps its own name.
func loadConverted(reg *convert.Registry, version string, first convert.Converter, path string, data []byte, opts Options) *Result {
	base := opts.Lookup
	if base == nil {
		base = os.LookupEnv
	}
	out, err := reg.Upgrade(convert.Document{APIVersion: version, File: path, Data: data}, APIVersion,
		convert.Options{Lookup: base, Now: opts.Now})
	original := &Source{File: path, Bytes: data}
	if err != nil { // converted checked the chain; kept for safety
		return &Result{Diags: diag.List{{File: path, Severity: diag.Error, Message: err.Error()}},
			Source: original, Adapter: first.Name, Original: original}
	}
	var kept diag.List
	for _, d := range out.Diags {
		if d.Severity != diag.Info { // the notes are for `trafficinator migrate`
			kept = append(kept, d)
		}
	}
	if out.Diags.HasErrors() || out.Doc.Data == nil {
		return &Result{Diags: kept, Source: original, Adapter: first.Name, Original: original}
	}
	// Variables resolve from the caller's lookup first (the process
	// environment and any --env-file), then from the values the original
	// file defined (its tokens).
	opts.Lookup = func(name string) (string, bool) {
		if v, ok := base(name); ok {
			return v, true
		}
		v, ok := out.Env[name]
		return v, ok
	}
	res := Load(path+" (migrated)", out.Doc.Data, opts)
	res.Diags = append(kept, res.Diags...)
	res.Adapter, res.Original = first.Name, original
	original.Secrets = res.Source.Secrets
	original.Bytes = redactSource(data, res.Source.Secrets)
	return res
}
