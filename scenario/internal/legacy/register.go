package legacy

import (
	"path/filepath"

	"github.com/trafficinator/trafficinator/scenario/internal/convert"
	"github.com/trafficinator/trafficinator/scenario/internal/model"
)

// Inputs read from convert.Options.Inputs.
const (
	InputFunnels = "funnels" // replaces FUNNEL_CONFIG_PATH
	InputURLs    = "urls"    // replaces URLS_FILE
)

// Register adds the legacy converter and its detector to r. The command
// line calls it once, where it builds the registry that both loading
// (validate, plan and apply take a legacy .env file) and migrate use.
func Register(r *convert.Registry) error {
	if err := r.Register(Converter()); err != nil {
		return err
	}
	r.RegisterDetector(detector)
	return nil
}

// Converter is the legacy adapter as the oldest link of the converter
// chain: trafficinator/legacy-env → trafficinator/v1.
func Converter() convert.Converter {
	return convert.Converter{From: APIVersion, To: model.APIVersion, Name: "legacy .env", Convert: convertDoc}
}

func detector(file string, data []byte) (string, bool) {
	if Detect(file, data) {
		return APIVersion, true
	}
	return "", false
}

func convertDoc(doc convert.Document, opts convert.Options) convert.Result {
	r := Migrate(doc.File, doc.Data, Options{
		Lookup: opts.Lookup, Now: opts.Now, OutDir: opts.OutDir,
		FunnelsFile: opts.Inputs[InputFunnels], URLsFile: opts.Inputs[InputURLs],
	})
	out := convert.Result{Diags: r.Diags, Sources: r.Sources, Env: r.Env}
	if r.YAML != nil {
		name := doc.File
		if opts.OutDir != "" {
			name = filepath.Join(opts.OutDir, filepath.Base(doc.File))
		}
		out.Doc = convert.Document{APIVersion: model.APIVersion, File: name, Data: r.YAML}
	}
	return out
}
