package legacy

import (
	"maps"
	"slices"
	"strings"

	"github.com/trafficinator/trafficinator/scenario/internal/model"
)

// emit writes s as commented YAML. It covers every field of format v1, so
// that what the adapter builds is written whole; token_auth is written as
// is (the adapter puts a ${VAR} reference there, never a token), and so is
// a target url that moveCredentials turned into one; every other string
// has its "$" escaped.
func emit(s *model.Scenario, c *comments) []byte {
	root := &node{}
	root.leaf("apiVersion", yamlString(s.APIVersion))
	root.leaf("kind", yamlString(s.Kind))
	metadataNode(root, &s.Metadata)
	runNode(root, &s.Run)
	targetsNode(root, s.Targets)
	root.leaf("routing", yamlString(s.Routing))
	trafficNode(root, &s.Traffic)
	policiesNode(root, s.Policies)
	return emitNodes(root, c)
}

func metadataNode(root *node, md *model.Metadata) {
	n := root.child("metadata")
	n.leaf("name", yamlString(md.Name))
	n.leaf("description", yamlString(md.Description))
	stringMap(n, "labels", md.Labels, yamlString)
}

// stringMap writes a map in sorted key order.
func stringMap(parent *node, key string, m map[string]string, render func(string) string) {
	if len(m) == 0 {
		return
	}
	n := parent.child(key)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		n.add(&node{key: k, path: n.path + "/" + k, value: render(m[k])})
	}
}

func runNode(root *node, r *model.Run) {
	n := root.child("run")
	n.leaf("mode", yamlString(r.Mode))
	if r.Rate != nil {
		n.leaf("rate", yamlString(r.Rate.Raw))
	}
	if len(r.Stages) > 0 {
		l := n.list("stages")
		for i, st := range r.Stages {
			l.item(i, flowMap("duration", yamlString(st.Duration.Raw), "rate", yamlString(st.Rate.Raw)))
		}
	}
	if r.Duration != nil {
		n.leaf("duration", yamlString(r.Duration.Raw))
	}
	if r.MaxVisits != 0 {
		n.leaf("max_visits", yamlInt(r.MaxVisits))
	}
	if r.DailyCap != 0 {
		n.leaf("daily_cap", yamlInt(r.DailyCap))
	}
	if r.Concurrency != 0 {
		n.leaf("concurrency", yamlInt(r.Concurrency))
	}
	if r.Seed != nil {
		n.leaf("seed", yamlInt(*r.Seed))
	}
	n.leaf("timezone", yamlString(r.Timezone))
	if b := r.Backfill; b != nil {
		backfillNode(n, b)
	}
}

func backfillNode(run *node, b *model.Backfill) {
	n := run.child("backfill")
	if b.From != nil {
		n.leaf("from", yamlString(b.From.Raw))
	}
	if b.To != nil {
		n.leaf("to", yamlString(b.To.Raw))
	}
	if b.LastDays != 0 {
		n.leaf("last_days", yamlInt(b.LastDays))
	}
	if b.OffsetDays != 0 {
		n.leaf("offset_days", yamlInt(b.OffsetDays))
	}
	if v := b.VisitsPerDay; v != nil {
		if v.Min == v.Max && v.WeekendFactor == nil {
			n.leaf("visits_per_day", fmtNum(v.Min))
		} else {
			pairs := []string{"min", fmtNum(v.Min), "max", fmtNum(v.Max)}
			if v.WeekendFactor != nil {
				pairs = append(pairs, "weekend_factor", fmtNum(*v.WeekendFactor))
			}
			n.leaf("visits_per_day", flowMap(pairs...))
		}
	}
	if b.MaxVisits != 0 {
		n.leaf("max_visits", yamlInt(b.MaxVisits))
	}
	if b.RPS.PerSecond != 0 {
		n.leaf("rps", fmtNum(b.RPS.PerSecond))
	}
	if len(b.HourlyWeights) > 0 {
		n.leaf("hourly_weights", numList(b.HourlyWeights))
	}
	if b.Invalidate {
		n.leaf("invalidate", "true")
	}
}

func numList(v []float64) string {
	items := make([]string, len(v))
	for i, f := range v {
		items[i] = fmtNum(f)
	}
	return flowList(items)
}

func targetsNode(root *node, ts []model.Target) {
	l := root.list("targets")
	for i := range ts {
		t := &ts[i]
		n := l.item(i, "")
		n.leaf("name", yamlString(t.Name))
		n.leaf("kind", yamlString(t.Kind))
		n.leaf("url", urlValue(t.URL))
		n.leaf("site_id", yamlInt(t.SiteID))
		n.leaf("site_url", yamlString(t.SiteURL))
		n.leaf("api_url", yamlString(t.APIURL))
		n.leaf("token_auth", yamlRef(t.TokenAuth))
		n.leaf("verify_token", yamlRef(t.VerifyToken))
		if t.Weight != nil {
			n.leaf("weight", fmtNum(*t.Weight))
		}
		if t.Enabled != nil {
			n.leaf("enabled", yamlBool(*t.Enabled))
		}
		if t.Optional {
			n.leaf("optional", "true")
		}
		if t.Bulk != 0 {
			n.leaf("bulk", yamlInt(t.Bulk))
		}
		if t.Timeout != nil {
			n.leaf("timeout", yamlString(t.Timeout.Raw))
		}
		if t.InsecureSkipVerify {
			n.leaf("insecure_skip_verify", "true")
		}
		stringMap(n, "headers", t.Headers, yamlString)
		n.leaf("ip_header", yamlString(t.IPHeader))
		n.leaf("delivery", yamlString(t.Delivery))
		if t.Features != nil {
			featuresNode(n, t.Features)
		}
	}
}

func trafficNode(root *node, t *model.Traffic) {
	n := root.child("traffic")
	if u := t.URLs; u != nil {
		switch {
		case u.File != "":
			n.leaf("urls", flowMap("file", yamlString(u.File)))
		case len(u.List) > 0:
			l := n.child("urls").list("list")
			for i, x := range u.List {
				l.item(i, yamlString(x))
			}
		default:
			n.leaf("urls", "builtin")
		}
	}
	if r := t.Pageviews; r != nil {
		n.leaf("pageviews", flowMap("min", yamlInt(r.Min), "max", yamlInt(r.Max)))
	}
	durationRange(n, "pause", t.Pause)
	durationRange(n, "visit_duration", t.VisitDuration)
	if s := t.Sources; s != nil {
		var pairs []string
		for _, x := range []struct {
			k string
			v *float64
		}{{"direct", s.Direct}, {"search", s.Search}, {"social", s.Social}, {"referral", s.Referral}, {"campaign", s.Campaign}} {
			if x.v != nil {
				pairs = append(pairs, x.k, fmtNum(*x.v))
			}
		}
		if len(pairs) > 0 {
			n.leaf("sources", flowMap(pairs...))
		}
	}
	if t.Features != nil {
		featuresNode(n, t.Features)
	}
	funnelsNode(n, t.Funnels)
}

func durationRange(n *node, key string, r *model.DurationRange) {
	if r != nil {
		n.leaf(key, flowMap("min", yamlString(r.Min.Raw), "max", yamlString(r.Max.Raw)))
	}
}

func featuresNode(parent *node, f *model.Features) {
	n := parent.child("features")
	for _, x := range []struct {
		k string
		f *model.Feature
	}{
		{"site_search", f.SiteSearch}, {"outlinks", f.Outlinks}, {"downloads", f.Downloads},
		{"click_events", f.ClickEvents}, {"random_events", f.RandomEvents},
	} {
		if x.f != nil {
			n.leaf(x.k, featureValue(x.f.Enabled, x.f.Probability))
		}
	}
	if e := f.Ecommerce; e != nil {
		ecommerceNode(n, e)
	}
	if g := f.Geo; g != nil {
		if len(g.Countries) == 0 {
			n.leaf("geo", yamlBool(g.On()))
		} else {
			gn := n.child("geo")
			if g.Enabled != nil {
				gn.leaf("enabled", yamlBool(*g.Enabled))
			}
			cn := gn.child("countries")
			for _, k := range slices.Sorted(maps.Keys(g.Countries)) {
				cn.add(&node{key: k, path: cn.path + "/" + k, value: fmtNum(g.Countries[k])})
			}
		}
	}
}

// featureValue writes true, false or { probability: P }.
func featureValue(enabled *bool, p *float64) string {
	switch {
	case p == nil && enabled != nil:
		return yamlBool(*enabled)
	case p == nil:
		return "{}"
	case enabled != nil:
		return flowMap("enabled", yamlBool(*enabled), "probability", fmtNum(*p))
	}
	return flowMap("probability", fmtNum(*p))
}

func ecommerceNode(parent *node, e *model.EcommerceFeature) {
	if e.Probability == nil && e.Currency == "" && e.OrderValue == nil && e.Items == nil && e.TaxRate == nil && e.Shipping == nil {
		parent.leaf("ecommerce", featureValue(e.Enabled, nil))
		return
	}
	n := parent.child("ecommerce")
	if e.Enabled != nil {
		n.leaf("enabled", yamlBool(*e.Enabled))
	}
	if e.Probability != nil {
		n.leaf("probability", fmtNum(*e.Probability))
	}
	n.leaf("currency", yamlString(e.Currency))
	if r := e.OrderValue; r != nil {
		n.leaf("order_value", flowMap("min", fmtNum(r.Min), "max", fmtNum(r.Max)))
	}
	if r := e.Items; r != nil {
		n.leaf("items", flowMap("min", yamlInt(r.Min), "max", yamlInt(r.Max)))
	}
	if e.TaxRate != nil {
		n.leaf("tax_rate", fmtNum(*e.TaxRate))
	}
	if e.Shipping != nil {
		n.leaf("shipping", numList(e.Shipping))
	}
}

func funnelsNode(traffic *node, fs []model.Funnel) {
	l := traffic.list("funnels")
	for i := range fs {
		f := &fs[i]
		n := l.item(i, "")
		n.leaf("name", yamlString(f.Name))
		n.leaf("description", yamlString(f.Description))
		n.leaf("probability", fmtNum(f.Probability))
		n.leaf("priority", yamlInt(f.Priority))
		if f.Enabled != nil {
			n.leaf("enabled", yamlBool(*f.Enabled))
		}
		if f.ExitAfterCompletion != nil {
			n.leaf("exit_after_completion", yamlBool(*f.ExitAfterCompletion))
		}
		sl := n.list("steps")
		for j := range f.Steps {
			stepNode(sl, j, &f.Steps[j])
		}
		durationRange(n, "end_delay", f.EndDelay)
	}
}

func stepNode(l *node, j int, st *model.FunnelStep) {
	n := l.item(j, "")
	n.leaf("type", yamlString(st.Type))
	n.leaf("url", yamlString(st.URL))
	n.leaf("action_name", yamlString(st.ActionName))
	n.leaf("category", yamlString(st.Category))
	n.leaf("action", yamlString(st.Action))
	n.leaf("name", yamlString(st.Name))
	if st.Value != nil {
		n.leaf("value", fmtNum(*st.Value))
	}
	n.leaf("keyword", yamlString(st.Keyword))
	n.leaf("search_category", yamlString(st.SearchCategory))
	if st.Results != nil {
		n.leaf("results", yamlInt(*st.Results))
	}
	n.leaf("target", yamlString(st.Target))
	if r := st.OrderValue; r != nil {
		n.leaf("order_value", flowMap("min", fmtNum(r.Min), "max", fmtNum(r.Max)))
	}
	if r := st.Items; r != nil {
		n.leaf("items", flowMap("min", yamlInt(r.Min), "max", yamlInt(r.Max)))
	}
	durationRange(n, "delay", st.Delay)
}

func policiesNode(root *node, ps []model.Policy) {
	l := root.list("policies")
	for i := range ps {
		p := &ps[i]
		n := l.item(i, "")
		n.leaf("name", yamlString(p.Name))
		n.leaf("scope", yamlString(p.Scope))
		if len(p.Targets) > 0 {
			items := make([]string, len(p.Targets))
			for j, t := range p.Targets {
				items[j] = yamlString(t)
			}
			tl := n.list("targets")
			for j, it := range items {
				tl.item(j, it)
			}
		}
		n.leaf("when", yamlString(p.When))
		if p.For != nil {
			n.leaf("for", yamlString(p.For.Raw))
		}
		n.leaf("action", yamlString(p.Action))
	}
}

// urlValue renders a target's url: the ${MATOMO_URL...} reference of a URL
// with credentials as is (a legacy URL cannot be one: it starts with
// http), any other URL with its "$" escaped.
func urlValue(u string) string {
	if strings.HasPrefix(u, "${MATOMO_URL") && strings.HasSuffix(u, "}") {
		return yamlRef(u)
	}
	return yamlString(u)
}
