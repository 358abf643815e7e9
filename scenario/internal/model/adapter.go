package model

import (
	"sync"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// Adapter turns a file of another format into a v1 scenario, in the manner
// of Caddy's config adapters: validate, plan and apply then behave exactly
// as with the converted YAML. The legacy .env adapter (scenario/legacy)
// registers itself; scenario does not import it.
type Adapter struct {
	// Name says what the file is, for the notice the CLI prints.
	Name string
	// Detect reports whether the adapter takes the file.
	Detect func(path string, data []byte) bool
	// Adapt converts the file.
	Adapt func(path string, data []byte, opts Options) Adapted
}

// Adapted is what an adapter made of a file.
type Adapted struct {
	YAML  []byte    // the v1 scenario; nil when Diags has errors
	Diags diag.List // about the original file, with its positions
	// Lookup resolves the ${VAR} references of YAML: the values the
	// original file defines (its tokens), then the caller's lookup.
	Lookup Lookup
}

var (
	adaptersMu sync.RWMutex
	adapters   []Adapter
)

// RegisterAdapter adds an adapter; LoadFile tries them in order.
func RegisterAdapter(a Adapter) {
	adaptersMu.Lock()
	defer adaptersMu.Unlock()
	adapters = append(adapters, a)
}

func adapterFor(path string, data []byte) (Adapter, bool) {
	adaptersMu.RLock()
	defer adaptersMu.RUnlock()
	for _, a := range adapters {
		if a.Detect(path, data) {
			return a, true
		}
	}
	return Adapter{}, false
}

// loadAdapted converts a file with a and loads the result. Diagnostics
// about the converted YAML name the file "PATH (migrated)", since their
// lines are the YAML's; the original file keeps its own name.
func loadAdapted(a Adapter, path string, data []byte, opts Options) *Result {
	ad := a.Adapt(path, data, opts)
	var kept diag.List
	for _, d := range ad.Diags {
		if d.Severity != diag.Info { // the notes are for `trafficinator migrate`
			kept = append(kept, d)
		}
	}
	original := &Source{File: path, Bytes: data}
	if ad.Diags.HasErrors() || ad.YAML == nil {
		return &Result{Diags: kept, Source: original, Adapter: a.Name, Original: original}
	}
	if ad.Lookup != nil {
		opts.Lookup = ad.Lookup
	}
	res := Load(path+" (migrated)", ad.YAML, opts)
	res.Diags = append(kept, res.Diags...)
	res.Adapter, res.Original = a.Name, original
	original.Secrets = res.Source.Secrets
	original.Bytes = redactSource(data, res.Source.Secrets)
	return res
}
