package legacy

import (
	"os"

	"github.com/trafficinator/trafficinator/scenario"
)

// Registering the adapter lets validate, plan and apply take a legacy .env
// file directly: scenario.LoadFile converts it in memory.
func init() {
	scenario.RegisterAdapter(scenario.Adapter{
		Name:   "legacy .env",
		Detect: Detect,
		Adapt: func(path string, data []byte, opts scenario.Options) scenario.Adapted {
			base := opts.Lookup
			if base == nil {
				base = os.LookupEnv
			}
			r := Migrate(path, data, Options{Lookup: base, Now: opts.Now})
			return scenario.Adapted{YAML: r.YAML, Diags: r.Diags, Lookup: r.Lookup(base)}
		},
	})
}
