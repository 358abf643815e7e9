package live_test

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

const dashboardFile = "../../../examples/grafana-dashboard.json"

type dashboard struct {
	SchemaVersion int `json:"schemaVersion"`
	Templating    struct {
		List []struct {
			Name       string          `json:"name"`
			Type       string          `json:"type"`
			Query      json.RawMessage `json:"query"`
			Definition string          `json:"definition"`
			Datasource *datasourceRef  `json:"datasource"`
		} `json:"list"`
	} `json:"templating"`
	Panels []struct {
		ID         int            `json:"id"`
		Type       string         `json:"type"`
		Title      string         `json:"title"`
		Datasource *datasourceRef `json:"datasource"`
		GridPos    struct{ X, Y, W, H int }
		Targets    []query `json:"targets"`
	} `json:"panels"`
}

type query struct {
	RefID      string         `json:"refId"`
	Expr       string         `json:"expr"`
	Datasource *datasourceRef `json:"datasource"`
}

type datasourceRef struct{ Type, UID string }

// exported lists each series name a scrape shows with, for each of its
// labels, the values seen: every figure of the source built by twoTargets.
func exported(t *testing.T) map[string]map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]map[string]bool{}
	seriesRE := regexp.MustCompile(`^([a-z_]+)\{(.*)\}$`)
	labelRE := regexp.MustCompile(`([a-z_]+)="((?:[^"\\]|\\.)*)"`)
	for series := range scrape(t, serve(t, twoTargets()).URL()) {
		m := seriesRE.FindStringSubmatch(series)
		if m == nil {
			t.Fatalf("series %q", series)
		}
		labels := out[m[1]]
		if labels == nil {
			labels = map[string]map[string]bool{}
			out[m[1]] = labels
		}
		for _, lv := range labelRE.FindAllStringSubmatch(m[2], -1) {
			if labels[lv[1]] == nil {
				labels[lv[1]] = map[string]bool{}
			}
			labels[lv[1]][lv[2]] = true
		}
	}
	return out
}

func loadDashboard(t *testing.T) dashboard {
	t.Helper()
	b, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", dashboardFile, err)
	}
	return d
}

func TestDashboardIsAGrafanaDashboard(t *testing.T) {
	d := loadDashboard(t)
	if d.SchemaVersion != 39 {
		t.Errorf("schemaVersion %d, want 39", d.SchemaVersion)
	}
	hasDatasource := false
	for _, v := range d.Templating.List {
		if v.Name == "datasource" && v.Type == "datasource" && string(v.Query) == `"prometheus"` {
			hasDatasource = true
		}
	}
	if !hasDatasource {
		t.Error("no datasource variable of type prometheus")
	}
	ids := map[int]bool{}
	for _, p := range d.Panels {
		if ids[p.ID] || p.ID == 0 {
			t.Errorf("panel %q: id %d missing or repeated", p.Title, p.ID)
		}
		ids[p.ID] = true
		if g := p.GridPos; g.W <= 0 || g.H <= 0 || g.X < 0 || g.X+g.W > 24 {
			t.Errorf("panel %q: gridPos %+v outside the 24 columns", p.Title, g)
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		refs := map[string]bool{}
		for _, q := range append([]*datasourceRef{p.Datasource}, targetsDatasources(p.Targets)...) {
			if q == nil || q.Type != "prometheus" || q.UID != "${datasource}" {
				t.Errorf("panel %q: datasource %+v, want the ${datasource} variable", p.Title, q)
			}
		}
		for _, q := range p.Targets {
			if refs[q.RefID] || q.RefID == "" {
				t.Errorf("panel %q: refId %q missing or repeated", p.Title, q.RefID)
			}
			refs[q.RefID] = true
		}
	}
}

func targetsDatasources(targets []query) []*datasourceRef {
	var out []*datasourceRef
	for _, q := range targets {
		out = append(out, q.Datasource)
	}
	return out
}

var (
	metricRE  = regexp.MustCompile(`\btrafficinator_[a-z_]+\b`)
	selectRE  = regexp.MustCompile(`(trafficinator_[a-z_]+)\{([^}]*)\}`)
	matcherRE = regexp.MustCompile(`^\s*([a-z_]+)\s*(=~|!~|!=|=)\s*"([^"]*)"\s*$`)
	byRE      = regexp.MustCompile(`\bby \(([^)]*)\)`)
	wordsRE   = regexp.MustCompile(`^[a-z0-9_]+(\|[a-z0-9_]+)*$`)
)

// TestDashboardQueriesReadExportedSeries: every query reads metrics the
// collector exports, matches labels they have, on values they take, and
// groups by labels they carry; together the queries cover what issue 6
// asks of the dashboard.
func TestDashboardQueriesReadExportedSeries(t *testing.T) {
	d := loadDashboard(t)
	have := exported(t)
	var exprs []string
	for _, p := range d.Panels {
		for _, q := range p.Targets {
			exprs = append(exprs, q.Expr)
		}
	}
	for _, v := range d.Templating.List {
		if v.Definition != "" {
			exprs = append(exprs, v.Definition)
		}
	}
	used := map[string]bool{}
	for _, expr := range exprs {
		names := metricRE.FindAllString(expr, -1)
		if len(names) == 0 {
			t.Errorf("%q reads no trafficinator_ metric", expr)
		}
		labels := map[string]bool{}
		for _, name := range names {
			used[name] = true
			if have[name] == nil {
				t.Errorf("%q reads %s, which the collector does not export", expr, name)
			}
			for l := range have[name] {
				labels[l] = true
			}
		}
		for _, sel := range selectRE.FindAllStringSubmatch(expr, -1) {
			for _, m := range strings.Split(sel[2], ",") {
				checkMatcher(t, expr, sel[1], m, have[sel[1]])
			}
		}
		for _, by := range byRE.FindAllStringSubmatch(expr, -1) {
			for _, l := range strings.Split(by[1], ",") {
				if l = strings.TrimSpace(l); !labels[l] {
					t.Errorf("%q groups by %q, a label none of its metrics has", expr, l)
				}
			}
		}
		if strings.Contains(expr, "histogram_quantile") && !strings.Contains(expr, "_bucket{") {
			t.Errorf("%q: histogram_quantile needs the _bucket series", expr)
		}
	}
	for _, name := range []string{
		"trafficinator_visits_total", "trafficinator_hits_total", "trafficinator_responses_total",
		"trafficinator_request_duration_seconds_bucket", "trafficinator_visits_dropped_total",
		"trafficinator_target_health", "trafficinator_policy_fired_total",
	} {
		if !used[name] {
			t.Errorf("no panel shows %s", name)
		}
	}
}

func checkMatcher(t *testing.T, expr, metric, matcher string, labels map[string]map[string]bool) {
	t.Helper()
	m := matcherRE.FindStringSubmatch(matcher)
	if m == nil {
		t.Errorf("%q: cannot read matcher %q", expr, matcher)
		return
	}
	label, op, value := m[1], m[2], m[3]
	values, ok := labels[label]
	if !ok {
		t.Errorf("%q: %s has no label %q", expr, metric, label)
		return
	}
	// Literal values, or alternations of them, must be values the label
	// takes; patterns and variables are left alone.
	switch {
	case op == "=" && !values[value]:
		t.Errorf("%q: %s{%s} never takes %q", expr, metric, label, value)
	case op == "=~" && wordsRE.MatchString(value):
		for _, v := range strings.Split(value, "|") {
			if !values[v] {
				t.Errorf("%q: %s{%s} never takes %q", expr, metric, label, v)
			}
		}
	}
}
