package plan

import (
	"math"
	"testing"

	"github.com/trafficinator/trafficinator/scenario"
)

// TestSourcesWithCampaign: campaign is a fifth source. It defaults to 0,
// an omitted direct share is what the four others leave, and a given
// direct share is kept while the rest is spread over all four in
// proportion.
func TestSourcesWithCampaign(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		name string
		in   *scenario.Sources
		want Sources
	}{
		{"defaults", nil, Sources{Direct: 0.30, Search: 0.35, Social: 0.15, Referral: 0.20}},
		{"campaign takes from direct", &scenario.Sources{Campaign: f(0.1)},
			Sources{Direct: 0.20, Search: 0.35, Social: 0.15, Referral: 0.20, Campaign: 0.1}},
		{"given direct, rest in proportion", &scenario.Sources{Direct: f(0.5), Search: f(0.2), Social: f(0.1), Referral: f(0.1), Campaign: f(0.1)},
			Sources{Direct: 0.5, Search: 0.2, Social: 0.1, Referral: 0.1, Campaign: 0.1}},
		{"given direct scales campaign too", &scenario.Sources{Direct: f(0.6), Search: f(0.1), Social: f(0), Referral: f(0), Campaign: f(0.1)},
			Sources{Direct: 0.6, Search: 0.2, Campaign: 0.2}},
	} {
		got := sources(c.in)
		for _, x := range []struct {
			name      string
			got, want float64
		}{
			{"direct", got.Direct, c.want.Direct}, {"search", got.Search, c.want.Search}, {"social", got.Social, c.want.Social},
			{"referral", got.Referral, c.want.Referral}, {"campaign", got.Campaign, c.want.Campaign},
		} {
			if math.Abs(x.got-x.want) > 1e-9 {
				t.Errorf("%s: %s %v, want %v", c.name, x.name, x.got, x.want)
			}
		}
	}
}
