package runner

// The legacy backfill without BACKFILL_RPS_LIMIT started its visits at
// TARGET_VISITS_PER_DAY/86400 per second; these tests run what migrate
// writes and time the visits' starts at a capturing sink.

import (
	"context"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/scenario"
)

// migrateAndCompile migrates env (with files, by base name, for the files
// it names), points every target at url and compiles the plan with the
// backfill clock.
func migrateAndCompile(t *testing.T, env, url string, files map[string]string) *plan.Plan {
	t.Helper()
	opts := scenario.LegacyOptions{Now: bfClock, Lookup: func(string) (string, bool) { return "", false },
		ReadFile: func(p string) ([]byte, error) {
			if s, ok := files[filepath.Base(p)]; ok {
				return []byte(s), nil
			}
			return nil, fs.ErrNotExist
		}}
	res := scenario.MigrateLegacy("pace.env", []byte(env), opts)
	if res.YAML == nil || res.Diags.HasErrors() {
		t.Fatalf("migration failed: %v", res.Diags)
	}
	lookup := func(name string) (string, bool) {
		if v, ok := res.Env[name]; ok {
			return v, true
		}
		return bfToken, true
	}
	lr := scenario.Load("pace.yaml", res.YAML, scenario.Options{Lookup: lookup, Now: bfClock})
	if !lr.Valid() {
		t.Fatalf("the migrated scenario is invalid: %v\n%s", lr.Diags, res.YAML)
	}
	for i := range lr.Scenario.Targets {
		lr.Scenario.Targets[i].URL = url
	}
	p, err := plan.Compile(lr.Scenario, plan.Options{Now: bfClock})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMigratedBackfillKeepsTheLegacyPace(t *testing.T) {
	if testing.Short() {
		t.Skip("paces 40 visits over about 4 s")
	}
	const perDay = 864000 // 10 visits/s
	c := startCapture(t, "UTC")
	env := strings.Join([]string{
		"MATOMO_URL=http://127.0.0.1/matomo.php", "MATOMO_SITE_ID=1", "MATOMO_TOKEN_AUTH=" + bfToken,
		"TARGET_VISITS_PER_DAY=864000", "TIMEZONE=UTC", "CONCURRENCY=20",
		"BACKFILL_ENABLED=true", "BACKFILL_DAYS_BACK=3", "BACKFILL_DURATION_DAYS=1",
		"BACKFILL_MAX_VISITS_PER_DAY=40", "BACKFILL_MAX_VISITS_TOTAL=40", "",
	}, "\n")
	p := migrateAndCompile(t, env, c.url, nil)
	if want := float64(perDay) / 86400; p.Backfill.RPS != want {
		t.Fatalf("plan rps %v, want the legacy pace %v", p.Backfill.RPS, want)
	}
	rep := runBF(t, context.Background(), p, Options{RunID: "pace"})
	if rep.Total.Counters.Visits != 40 {
		t.Fatalf("%d visits, want 40", rep.Total.Counters.Visits)
	}
	// A visit starts when its first hit arrives.
	first := map[string]time.Time{}
	for _, h := range c.all() {
		id := h.params.Get("_id")
		if at, ok := first[id]; !ok || h.at.Before(at) {
			first[id] = h.at
		}
	}
	if len(first) != 40 {
		t.Fatalf("%d visitors at the sink, want 40", len(first))
	}
	starts := make([]time.Time, 0, len(first))
	for _, at := range first {
		starts = append(starts, at)
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	pace := float64(len(starts)-1) / starts[len(starts)-1].Sub(starts[0]).Seconds()
	if pace < 10*0.95 || pace > 10*1.05 {
		t.Errorf("visits started at %.3f/s, want the legacy pace 10/s within 5%%", pace)
	}
}

// TestMigratedFunnelKeepsTheLegacyGaps runs a migrated legacy funnel whose
// steps have fixed delays (the time after each step in the legacy file)
// and checks the cdts of every visit: the gaps between the steps are the
// legacy ones, and the last step's delay comes before the ping.
func TestMigratedFunnelKeepsTheLegacyGaps(t *testing.T) {
	c := startCapture(t, "UTC")
	funnels := `[{"name": "F", "probability": 1, "steps": [
  {"type": "pageview", "url": "https://s.example/a", "delay_seconds_min": 5, "delay_seconds_max": 5},
  {"type": "event", "event_category": "C", "event_action": "A", "event_name": "N", "delay_seconds_min": 7, "delay_seconds_max": 7},
  {"type": "pageview", "url": "https://s.example/b", "delay_seconds_min": 11, "delay_seconds_max": 11}
]}]`
	env := strings.Join([]string{
		"MATOMO_URL=http://127.0.0.1/matomo.php", "MATOMO_SITE_ID=1", "MATOMO_TOKEN_AUTH=" + bfToken,
		"TIMEZONE=UTC", "FUNNEL_CONFIG_PATH=funnels.json", "BACKFILL_RPS_LIMIT=500",
		"BACKFILL_ENABLED=true", "BACKFILL_DAYS_BACK=3", "BACKFILL_DURATION_DAYS=1",
		"BACKFILL_MAX_VISITS_PER_DAY=30", "BACKFILL_MAX_VISITS_TOTAL=30", "",
	}, "\n")
	p := migrateAndCompile(t, env, c.url, map[string]string{"funnels.json": funnels})
	rep := runBF(t, context.Background(), p, Options{RunID: "gaps"})
	if rep.Total.Counters.Visits != 30 {
		t.Fatalf("%d visits, want 30", rep.Total.Counters.Visits)
	}
	// Each visit's hits by what they are: page a, the event, page b, ping.
	type visitTimes struct{ a, ev, b, ping []time.Time }
	visits := map[string]*visitTimes{}
	for _, h := range c.all() {
		id := h.params.Get("_id")
		v := visits[id]
		if v == nil {
			v = &visitTimes{}
			visits[id] = v
		}
		at := cdtOf(t, h.params)
		switch {
		case h.params.Get("ping") == "1":
			v.ping = append(v.ping, at)
		case h.params.Get("e_c") == "C":
			v.ev = append(v.ev, at)
		case h.params.Get("url") == "https://s.example/a":
			v.a = append(v.a, at)
		case h.params.Get("url") == "https://s.example/b":
			v.b = append(v.b, at)
		default:
			t.Fatalf("a hit that is no step of the funnel: %v", h.params)
		}
	}
	if len(visits) != 30 {
		t.Fatalf("%d visitors at the sink, want 30", len(visits))
	}
	for id, v := range visits {
		if len(v.a) != 1 || len(v.ev) != 1 || len(v.b) != 1 || len(v.ping) != 1 {
			t.Fatalf("visit %s: hits %d/%d/%d/%d, want one of each", id, len(v.a), len(v.ev), len(v.b), len(v.ping))
		}
		gaps := []time.Duration{v.ev[0].Sub(v.a[0]), v.b[0].Sub(v.ev[0]), v.ping[0].Sub(v.b[0])}
		if want := []time.Duration{5 * time.Second, 7 * time.Second, 11 * time.Second}; !slices.Equal(gaps, want) {
			t.Errorf("visit %s: gaps %v, want the legacy %v (the time after each step)", id, gaps, want)
		}
	}
}
