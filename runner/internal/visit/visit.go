package visit

import (
	"net/netip"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/catalog"
)

// Visit is one generated visit: who the visitor is, where it comes from,
// the pages it views and its hits in send order.
type Visit struct {
	Index     uint64
	VisitorID string // _id: 16 lowercase hex digits
	UserAgent string // sent as the User-Agent header, never as a parameter
	Device    string // catalog.Desktop, Mobile or Tablet
	Lang      string // lang parameter
	Res       string // res parameter
	Plugins   Plugins
	Source    Source
	Referrer  string // urlref of the first hit; "" for a direct or campaign visit
	// Campaign is a campaign visit's campaign, in its landing page's URL;
	// zero for other visits.
	Campaign catalog.Campaign
	Country  string     // the visitor's country: its lang and local time (h, m, s) follow it
	IP       netip.Addr // cip, an address of Country; the zero Addr without geo
	Pages    []PageView // the pages viewed, in order
	Hits     []Hit
	Duration time.Duration // simulated time from the first hit to the ping
	Order    *OrderInfo    // the visit's first order; nil when it places none
	// Orders are all the orders of the visit in send order: at most one in
	// a random visit, one per ecommerce step (and one more from random
	// browsing) in a funnel visit.
	Orders []*OrderInfo
	// Funnel is the name of the funnel the visit follows; "" for a random
	// visit. FunnelSteps is how many of its steps the visit has: all of
	// them (a visit that is cancelled on the way has sent fewer; count the
	// hits by Hit.Step for that).
	Funnel      string
	FunnelSteps int
	// Start is the time of the first hit once the visit is placed (Place or
	// StampEnd); zero before.
	Start time.Time
	// VisitCount is the visit's number among its visitor's visits (_idvc):
	// 1 for a new visitor, 2 and more for a returning one
	// (Config.Returning).
	VisitCount int

	zone   *time.Location // Country's main timezone, for h, m, s; nil: UTC
	since  time.Duration  // returning: from the previous visit's first hit to this visit's last
	place  float64        // uniform draw in [0, 1) that positions the visit in a window
	params *paramStore    // the array Hits' Params slice, until Release
}

// PageView is one page of a visit and its pv_id.
type PageView struct {
	URL, Title string
	PvID       string // 6 lowercase hex digits, distinct within the visit
}

// Hit is one tracking request.
type Hit struct {
	Kind Kind
	// Params in send order. They never hold token_auth (the transport adds
	// it). cdt is empty until the visit is placed.
	Params Params
	// Offset is the simulated time since the start of the visit; the hit's
	// cdt is Start + Offset, in whole seconds.
	Offset time.Duration
	// Pause is the real time to wait before sending the hit.
	Pause time.Duration
	// Page is the index in Visit.Pages of the page the hit belongs to.
	Page int
	// Step is the 1-based funnel step the hit sends; 0 for the hits of
	// random browsing and for the ping.
	Step int
}

// Plugins are the browser-feature flags of a visit, one bit per parameter
// in the order of PluginParams.
type Plugins uint8

// PluginParams are the browser-feature parameters, in send order: Flash,
// Java, QuickTime, RealPlayer, PDF, Windows Media, Silverlight, cookies.
var PluginParams = [8]string{"fla", "java", "qt", "realp", "pdf", "wma", "ag", "cookie"}

// Has reports whether the flag of PluginParams[i] is set.
func (p Plugins) Has(i int) bool { return p&(1<<i) != 0 }

// pluginOdds are the chances of each flag, for desktops and for phones and
// tablets. Current browsers report cookies and a PDF viewer (desktops) and
// none of the old plugins; the small chances of the old ones stand for
// older or unusual setups and spread visits over more fingerprints.
var pluginOdds = [2][8]float64{
	{0.02, 0.04, 0.03, 0.01, 0.90, 0.03, 0.02, 0.97}, // desktop
	{0.00, 0.01, 0.01, 0.00, 0.20, 0.00, 0.00, 0.97}, // mobile, tablet
}

// PluginOdds returns the chance of each flag of PluginParams for a device
// class (catalog.Desktop, Mobile or Tablet).
func PluginOdds(device string) [8]float64 {
	if device == "desktop" {
		return pluginOdds[0]
	}
	return pluginOdds[1]
}
