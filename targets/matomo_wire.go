package targets

import (
	"github.com/trafficinator/trafficinator/targets/internal/matomo"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// The Matomo wire format is the product's domain: the runner's tests and
// the visit model's compare hits with what a Matomo server (or the sink)
// records. These give them the Matomo kind's own encoding, so that only
// targets/ imports the kind's package.

// MatomoQuery returns a hit's parameters as the Matomo kind sends them: a
// query string (without "?"), escaped as url.QueryEscape does.
func MatomoQuery(p kind.Params) string { return matomo.EncodeQuery(p) }

// AppendMatomoQuery is MatomoQuery appending to dst, without allocating
// when dst has room.
func AppendMatomoQuery(dst []byte, p kind.Params) []byte { return matomo.AppendQuery(dst, p) }

// MatomoEncoder returns the Matomo kind's encoder of a target that sends
// bulk requests or (bulk false) one request per hit.
func MatomoEncoder(bulk bool) kind.Encoder { return matomo.NewEncoder(bulk) }
