package plan_test

// These tests migrate the legacy inputs of scenario/internal/legacy and compile the
// result: what the adapter writes must plan like the legacy tool. They
// live here, not beside the adapter, because scenario must not import
// runner, not even in tests.

import (
	"bytes"
	"encoding/json"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // CET, Europe/Berlin, ... on machines without zoneinfo

	"github.com/trafficinator/trafficinator/runner/internal/loadtest"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/scenario"
)

// legacyFiles are the shared legacy inputs that migrate without errors.
var legacyFiles = []string{"light.env", "heavy-geo.env", "backfill.env", "multi-target.env"}

// TestRoundTripSamePlan: the scenario the adapter builds in memory and the
// one read back from its YAML compile to the same plan (same seed).
func TestRoundTripSamePlan(t *testing.T) {
	for _, name := range legacyFiles {
		t.Run(name, func(t *testing.T) {
			res := loadtest.MigrateLegacyFile(t, name, loadtest.LegacyOptions())
			lr := loadtest.LoadMigrated(t, "testdata/"+name, res)
			if !lr.Valid() {
				t.Fatalf("invalid: %v", lr.Diags)
			}
			inMemory := planJSON(t, res.Scenario)
			reloaded := planJSON(t, lr.Scenario)
			if !bytes.Equal(inMemory, reloaded) {
				t.Errorf("plans differ\nin memory: %s\nreloaded:  %s", inMemory, reloaded)
			}
		})
	}
}

// planJSON compiles s with a fixed seed and clock and returns the plan as
// JSON, without what names the file (its path, digest and the positions
// of warnings): the in-memory scenario has no file.
func planJSON(t *testing.T, s *scenario.Scenario) []byte {
	t.Helper()
	seed := uint64(7)
	p, err := plan.Compile(s, plan.Options{Seed: &seed, Now: loadtest.LegacyClock})
	if err != nil {
		t.Fatal(err)
	}
	p.File, p.Digest = "", ""
	for i := range p.Warnings {
		p.Warnings[i].File, p.Warnings[i].Line, p.Warnings[i].Column = "", 0, 0
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// presetTable reads testdata/presets.tsv (legacy spec data): parameter →
// column → value.
func presetTable(t *testing.T) map[string]map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(loadtest.LegacyTestdata(), "presets.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	head := strings.Split(lines[0], "\t")
	out := map[string]map[string]string{}
	for _, l := range lines[1:] {
		cells := strings.Split(l, "\t")
		row := map[string]string{}
		for i, c := range cells[1:] {
			row[head[i+1]] = c
		}
		out[cells[0]] = row
	}
	return out
}

// presetEnv writes a preset column as the .env file it was.
func presetEnv(table map[string]map[string]string, column string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(table)) {
		switch v := table[k][column]; v {
		case "(unset)":
		case "(empty)":
			b.WriteString(k + "=\n")
		default:
			b.WriteString(k + "=" + v + "\n")
		}
	}
	return b.String()
}

// presetValue is the value the legacy loader used: the preset's, or the
// loader default when the preset leaves it unset.
func presetValue(t *testing.T, table map[string]map[string]string, column, key string) float64 {
	t.Helper()
	v := table[key][column]
	if v == "(unset)" {
		v = table[key]["loader_default"]
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		t.Fatalf("%s of %s: %q is not a number", key, column, v)
	}
	return f
}

// legacyReferrerShares replays the legacy choose_referrer walk over a fine
// grid of r in [0, 1): direct below D, then search, social and referral
// with cumulative bounds starting at D, direct for whatever is left.
func legacyReferrerShares(d float64) (direct, search, social, referral float64) {
	const n = 1_000_000
	counts := map[string]int{}
	for i := range n {
		r := (float64(i) + 0.5) / n
		cat := "direct"
		if r >= d {
			bound := d
			for _, c := range []struct {
				name  string
				share float64
			}{{"search", 0.35}, {"social", 0.15}, {"referral", 0.20}} {
				bound += c.share
				if r < bound {
					cat = c.name
					break
				}
			}
		}
		counts[cat]++
	}
	f := func(k string) float64 { return float64(counts[k]) / n }
	return f("direct"), f("search"), f("social"), f("referral")
}

// TestPresetsPlanLikeTheLegacyLoader migrates the four legacy presets and
// checks every figure of the plan against what the legacy loader did with
// them: visits per day, pageviews, pauses, visit duration, the effective
// referrer mix, the action probabilities, concurrency, ecommerce and
// timezone, and geo (on only with a token: Matomo refuses cip without one).
func TestPresetsPlanLikeTheLegacyLoader(t *testing.T) {
	table := presetTable(t)
	for _, preset := range []string{"light", "medium", "heavy", "extreme"} {
		for _, withToken := range []bool{false, true} {
			name := preset
			if withToken {
				name += "+token"
			}
			t.Run(name, func(t *testing.T) {
				column := "preset_" + preset
				env := presetEnv(table, column)
				if withToken {
					env += "MATOMO_TOKEN_AUTH=0123456789abcdef0123456789abcdef\n"
				}
				p := compilePreset(t, preset+".env", env)
				val := func(k string) float64 { return presetValue(t, table, column, k) }
				near := func(what string, got, want float64) {
					t.Helper()
					if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
						t.Errorf("%s = %v, want %v", what, got, want)
					}
				}
				dur := func(what string, got runner.Duration, want float64, unit time.Duration) {
					t.Helper()
					if w := time.Duration(math.Round(want * float64(unit))); got.D() != w {
						t.Errorf("%s = %v, want %v", what, got.D(), w)
					}
				}

				if len(p.Stages) != 1 {
					t.Fatalf("stages %+v, want one constant stage", p.Stages)
				}
				near("visits per day", p.Stages[0].FromRate*86400, val("TARGET_VISITS_PER_DAY"))
				near("visits per day (end of stage)", p.Stages[0].ToRate*86400, val("TARGET_VISITS_PER_DAY"))
				if p.Concurrency != int(val("CONCURRENCY")) {
					t.Errorf("concurrency %d, want %v", p.Concurrency, val("CONCURRENCY"))
				}
				if p.Timezone != "CET" || p.Mode != "realtime" {
					t.Errorf("timezone %q mode %q, want CET realtime", p.Timezone, p.Mode)
				}
				tr := p.Traffic
				if tr.PageviewsMin != int(val("PAGEVIEWS_MIN")) || tr.PageviewsMax != int(val("PAGEVIEWS_MAX")) {
					t.Errorf("pageviews %d..%d", tr.PageviewsMin, tr.PageviewsMax)
				}
				dur("pause min", tr.PauseMin, val("PAUSE_BETWEEN_PVS_MIN"), time.Second)
				dur("pause max", tr.PauseMax, val("PAUSE_BETWEEN_PVS_MAX"), time.Second)
				dur("visit duration min", tr.DurationMin, val("VISIT_DURATION_MIN"), time.Minute)
				dur("visit duration max", tr.DurationMax, val("VISIT_DURATION_MAX"), time.Minute)
				d, se, so, re := legacyReferrerShares(val("DIRECT_TRAFFIC_PROBABILITY"))
				for _, x := range []struct {
					name      string
					got, want float64
				}{{"direct", tr.Sources.Direct, d}, {"search", tr.Sources.Search, se}, {"social", tr.Sources.Social, so}, {"referral", tr.Sources.Referral, re}} {
					if math.Abs(x.got-x.want) > 1e-5 {
						t.Errorf("source %s share %v, the legacy walk gives %v", x.name, x.got, x.want)
					}
				}

				if len(p.Targets) != 1 {
					t.Fatalf("%d targets", len(p.Targets))
				}
				f := p.Targets[0].Features
				near("site search", f.SiteSearch, val("SITESEARCH_PROBABILITY"))
				near("outlinks", f.Outlinks, val("OUTLINKS_PROBABILITY"))
				near("downloads", f.Downloads, val("DOWNLOADS_PROBABILITY"))
				near("click events", f.ClickEvents, val("CLICK_EVENTS_PROBABILITY"))
				near("random events", f.RandomEvents, val("RANDOM_EVENTS_PROBABILITY"))
				e := f.Ecommerce
				if e == nil {
					t.Fatal("ecommerce is off")
				}
				near("ecommerce", e.Probability, val("ECOMMERCE_PROBABILITY"))
				near("order min", e.OrderMin, val("ECOMMERCE_ORDER_VALUE_MIN"))
				near("order max", e.OrderMax, val("ECOMMERCE_ORDER_VALUE_MAX"))
				near("items min", float64(e.ItemsMin), val("ECOMMERCE_ITEMS_MIN"))
				near("items max", float64(e.ItemsMax), val("ECOMMERCE_ITEMS_MAX"))
				near("tax", e.TaxRate, val("ECOMMERCE_TAX_RATE"))
				if e.Currency != table["ECOMMERCE_CURRENCY"][column] {
					t.Errorf("currency %q, want %q", e.Currency, table["ECOMMERCE_CURRENCY"][column])
				}
				if !slices.Equal(e.Shipping, []float64{0, 5.99, 9.99, 15.99}) {
					t.Errorf("shipping %v, want the legacy default list", e.Shipping)
				}
				wantGeo := table["RANDOMIZE_VISITOR_COUNTRIES"][column] == "true" && withToken
				if f.Geo != wantGeo {
					t.Errorf("geo %t, want %t", f.Geo, wantGeo)
				}
				if p.Stop.Duration != 0 || p.Stop.DailyCap != 0 || p.Stop.MaxVisits != 0 {
					t.Errorf("stop %+v: the presets run until stopped", p.Stop)
				}
			})
		}
	}
}

func compilePreset(t *testing.T, name, env string) *runner.Plan {
	t.Helper()
	res := scenario.MigrateLegacy(name, []byte(env), loadtest.LegacyOptions())
	lr := scenario.Load(name, res.YAML, scenario.Options{Lookup: loadtest.MigratedLookup(res), Now: loadtest.LegacyClock})
	if res.Diags.HasErrors() || !lr.Valid() {
		t.Fatalf("migration:\n%s\nvalidation: %v", loadtest.LegacyDiags(res), lr.Diags)
	}
	seed := uint64(1)
	p, err := runner.CompilePlan(lr.Scenario, runner.PlanOptions{Seed: &seed, Now: loadtest.LegacyClock})
	if err != nil {
		t.Fatal(err)
	}
	return p
}
