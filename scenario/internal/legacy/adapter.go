package legacy

import (
	"os"

	"github.com/trafficinator/trafficinator/scenario/internal/model"
)

// Registering the adapter lets validate, plan and apply take a legacy .env
// file directly: model.LoadFile converts it in memory.
func init() {
	model.RegisterAdapter(model.Adapter{
		Name:   "legacy .env",
		Detect: Detect,
		Adapt: func(path string, data []byte, opts model.Options) model.Adapted {
			base := opts.Lookup
			if base == nil {
				base = os.LookupEnv
			}
			r := Migrate(path, data, Options{Lookup: base, Now: opts.Now})
			return model.Adapted{YAML: r.YAML, Diags: r.Diags, Lookup: r.Lookup(base)}
		},
	})
}
