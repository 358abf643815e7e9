package runner

// The legacy backfill without BACKFILL_RPS_LIMIT started its visits at
// TARGET_VISITS_PER_DAY/86400 per second; these tests run what migrate
// writes and time the visits' starts at a capturing sink.

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/scenario"
)

// migrateAndCompile migrates env, points every target at url and compiles
// the plan with the backfill clock.
func migrateAndCompile(t *testing.T, env, url string) *plan.Plan {
	t.Helper()
	res := scenario.MigrateLegacy("pace.env", []byte(env), scenario.LegacyOptions{Now: bfClock, Lookup: func(string) (string, bool) { return "", false }})
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
	p := migrateAndCompile(t, env, c.url)
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
