// Package convert upgrades scenarios from older formats to newer ones. Each
// format is named by an apiVersion ("trafficinator/legacy-env",
// "trafficinator/v1", ...), and each Converter turns one version into the
// next. The registry chains them, so that a document of any registered
// version is brought to the newest in one call: the legacy .env adapter is
// the oldest link (legacy-env → v1), and a future v2 adds a single v1 → v2
// converter without touching the others.
//
// Converters work on bytes: each one reads the representation it knows
// (a .env file, a YAML tree) and writes the next version's text, so that
// every step can keep comments and report positions in its own input.
package convert

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// Document is one scenario file in some format version.
type Document struct {
	APIVersion string
	// File is the path the document was read from (or will be read from,
	// for a converted one); diagnostics name it and relative paths inside
	// the document are relative to its directory.
	File string
	Data []byte
}

// Options are handed to every converter of a chain.
type Options struct {
	// Lookup resolves environment variables a document refers to; nil
	// means the process environment.
	Lookup func(name string) (string, bool)
	// Now is the clock for "not in the future" checks; nil means time.Now.
	Now func() time.Time
	// OutDir is the directory the converted document will be read from;
	// relative paths inside it are rewritten for that directory. Empty
	// means the input's own directory.
	OutDir string
	// Inputs are side files by name that override what the document
	// refers to (the legacy adapter reads "funnels" and "urls"). Each
	// converter documents the names it reads and ignores the others.
	Inputs map[string]string
}

// Result is the outcome of one conversion, or of a chain of them.
type Result struct {
	// Doc is the converted document; empty when Diags hold an error.
	Doc Document
	// Diags are the findings about the inputs.
	Diags diag.List
	// Sources holds the text of the files Diags name, with secrets
	// replaced, for renderers that quote lines.
	Sources map[string][]byte
	// Env holds values for ${VAR} references that the converted document
	// makes and the input defined (the legacy tokens), so that running the
	// conversion in memory behaves as the input did.
	Env map[string]string
}

// Func converts a document of one version into the next version. When
// the diagnostics hold an error, the document is not used.
type Func func(doc Document, opts Options) Result

// Converter upgrades documents from one apiVersion to the next.
type Converter struct {
	From, To string
	// Name says what a From document is ("legacy .env"), for the notice
	// printed when a file is converted in memory while loading.
	Name    string
	Convert Func
}

// Detector recognises a document that does not say its apiVersion (the
// legacy .env has none). It returns the version and true when it does.
type Detector func(file string, data []byte) (apiVersion string, ok bool)

// Registry holds the converters and detectors. The zero value is not
// usable; use NewRegistry. There is no global registry: the command line
// builds one value with every converter the product has and hands it both
// to the loader (scenario.Options.Converters) and to migrate.
type Registry struct {
	mu        sync.RWMutex
	byFrom    map[string]Converter
	detectors []Detector
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{byFrom: map[string]Converter{}} }

// Register adds a converter. There is at most one converter from each
// version, and a chain may not loop back on itself.
func (r *Registry) Register(c Converter) error {
	switch {
	case c.From == "" || c.To == "":
		return fmt.Errorf("convert: converter needs both From and To")
	case c.From == c.To:
		return fmt.Errorf("convert: converter from %s to itself", c.From)
	case c.Convert == nil:
		return fmt.Errorf("convert: converter %s → %s has no Convert func", c.From, c.To)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.byFrom[c.From]; ok {
		return fmt.Errorf("convert: %s already converts to %s", c.From, old.To)
	}
	// Following the chain from c.To must not lead back to c.From.
	for v, n := c.To, 0; n <= len(r.byFrom); n++ {
		if v == c.From {
			return fmt.Errorf("convert: %s → %s would make a loop", c.From, c.To)
		}
		next, ok := r.byFrom[v]
		if !ok {
			break
		}
		v = next.To
	}
	r.byFrom[c.From] = c
	return nil
}

// MustRegister is Register for code that builds a fixed registry: a bad
// registration is a programming error.
func (r *Registry) MustRegister(c Converter) {
	if err := r.Register(c); err != nil {
		panic(err)
	}
}

// RegisterDetector adds a detector; detectors are tried in the order they
// were added, after the apiVersion field of a YAML document.
func (r *Registry) RegisterDetector(d Detector) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.detectors = append(r.detectors, d)
}

// Chain returns the converters that take a document from one version to
// another, in order; it is empty when from equals to.
func (r *Registry) Chain(from, to string) ([]Converter, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var chain []Converter
	for v := from; v != to; {
		c, ok := r.byFrom[v]
		if !ok {
			if v == from {
				return nil, fmt.Errorf("no converter from %s (known versions: %s)", from, r.versionsLocked())
			}
			return nil, fmt.Errorf("no converter from %s to %s (the chain stops at %s)", from, to, v)
		}
		chain = append(chain, c)
		v = c.To
	}
	return chain, nil
}

// Versions lists every version the registry knows, sorted.
func (r *Registry) Versions() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.versions()
}

func (r *Registry) versions() []string {
	seen := map[string]bool{}
	for _, c := range r.byFrom {
		seen[c.From], seen[c.To] = true, true
	}
	return slices.Sorted(maps.Keys(seen))
}

func (r *Registry) versionsLocked() string {
	v := r.versions()
	if len(v) == 0 {
		return "none"
	}
	s := v[0]
	for _, x := range v[1:] {
		s += ", " + x
	}
	return s
}

// Upgrade converts doc to version to through every converter in between.
// It stops at the first step whose diagnostics hold an error; the result
// then has the diagnostics of every step run so far and no document. The
// error is for a chain that does not exist; conversion problems are
// diagnostics.
func (r *Registry) Upgrade(doc Document, to string, opts Options) (Result, error) {
	chain, err := r.Chain(doc.APIVersion, to)
	if err != nil {
		return Result{}, err
	}
	all := Result{Doc: doc, Sources: map[string][]byte{}, Env: map[string]string{}}
	for _, c := range chain {
		out := c.Convert(doc, opts)
		all.Diags = append(all.Diags, out.Diags...)
		for k, v := range out.Sources {
			all.Sources[k] = v
		}
		for k, v := range out.Env {
			all.Env[k] = v
		}
		if out.Diags.HasErrors() {
			all.Doc = Document{}
			return all, nil
		}
		out.Doc.APIVersion = c.To
		if out.Doc.File == "" {
			out.Doc.File = doc.File
		}
		doc = out.Doc
		all.Doc = doc
	}
	return all, nil
}
