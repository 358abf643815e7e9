package legacy_test

import (
	"math"
	"testing"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

const tokenLine = "MATOMO_TOKEN_AUTH=0123456789abcdef0123456789abcdef\n"

func TestBackfillFile(t *testing.T) {
	res := migrateFile(t, "backfill.env", testOptions())
	r := res.Scenario.Run
	b := r.Backfill
	if r.Mode != "backfill" || b == nil || b.LastDays != 7 || b.OffsetDays != 8 || b.From != nil ||
		b.VisitsPerDay.Min != 500 || b.VisitsPerDay.Max != 500 || b.MaxVisits != 3000 || b.RPS.PerSecond != 50 ||
		r.Seed == nil || *r.Seed != 42 || r.Timezone != "America/New_York" || r.Concurrency != 20 {
		t.Fatalf("run %+v backfill %+v", r, b)
	}
	if len(b.HourlyWeights) != 24 {
		t.Fatalf("hourly weights %v", b.HourlyWeights)
	}
	for _, w := range b.HourlyWeights {
		if w != 1 {
			t.Fatalf("hourly weights %v, want uniform as the legacy backfill", b.HourlyWeights)
		}
	}
	if res.Scenario.Targets[0].TokenAuth != "${MATOMO_TOKEN_AUTH}" {
		t.Errorf("token %q", res.Scenario.Targets[0].TokenAuth)
	}
}

func TestBackfillAbsoluteWindow(t *testing.T) {
	// fixedNow is 2026-03-01 12:00 UTC.
	for _, c := range []struct {
		env string
		at  diagAt // zero Line: no error expected
	}{
		{"BACKFILL_START_DATE=2026-02-01\nBACKFILL_END_DATE=2026-03-01\n", diagAt{}},
		{"BACKFILL_START_DATE=2026-02-01\nBACKFILL_END_DATE=2026-03-02\n", diagAt{5, 19, diag.Error, "BACKFILL_END_DATE (2026-03-02) is after today (2026-03-01 in UTC)"}},
		{"BACKFILL_START_DATE=2026-02-10\nBACKFILL_END_DATE=2026-02-01\n", diagAt{5, 19, diag.Error, "BACKFILL_END_DATE (2026-02-01) is before BACKFILL_START_DATE (2026-02-10)"}},
		{"BACKFILL_START_DATE=2025-01-01\nBACKFILL_END_DATE=2026-01-01\n", diagAt{4, 21, diag.Error, "the backfill window is 366 days long; the maximum is 180"}},
		{"BACKFILL_START_DATE=2026-02-01\n", diagAt{4, 21, diag.Error, "BACKFILL_START_DATE needs BACKFILL_END_DATE as well"}},
		{"BACKFILL_DURATION_DAYS=3\n", diagAt{4, 24, diag.Error, "BACKFILL_DURATION_DAYS needs BACKFILL_DAYS_BACK as well"}},
		{"BACKFILL_DAYS_BACK=2\nBACKFILL_DURATION_DAYS=4\n", diagAt{5, 24, diag.Error, "a window of 4 days that starts 2 days back would end 1 days after today"}},
		{"", diagAt{3, 18, diag.Error, "backfill is enabled but has no window"}},
	} {
		// Line 3 is BACKFILL_ENABLED, c.env starts on line 4.
		env := baseEnv + "BACKFILL_ENABLED=true\n" + c.env + "TIMEZONE=UTC\n" + tokenLine
		res := migrateString(t, env)
		if c.at.Line == 0 {
			if res.Diags.HasErrors() {
				t.Errorf("%q: %s", c.env, render(res))
			} else if b := res.Scenario.Run.Backfill; b.From.Raw != "2026-02-01" || b.To.Raw != "2026-03-01" {
				t.Errorf("window %+v", b)
			}
			continue
		}
		if !findDiag(res.Diags, "test.env", c.at) || res.Diags.Count(diag.Error) != 1 {
			t.Errorf("%q: want only %+v, got\n%s", c.env, c.at, render(res))
		}
	}
}

func TestBackfillCapsAndFallbacks(t *testing.T) {
	res := migrateString(t, baseEnv+"BACKFILL_ENABLED=True\nBACKFILL_DAYS_BACK=3\nBACKFILL_DURATION_DAYS=3\n"+
		"TARGET_VISITS_PER_DAY=1234.9\nBACKFILL_MAX_VISITS_PER_DAY=0\nBACKFILL_MAX_VISITS_TOTAL=0\nBACKFILL_RPS_LIMIT=0\n"+
		"AUTO_STOP_AFTER_HOURS=5\nMAX_TOTAL_VISITS=10\n")
	if res.Diags.HasErrors() {
		t.Fatal(render(res))
	}
	r := res.Scenario.Run
	b := r.Backfill
	if b.VisitsPerDay.Min != 1234 || b.MaxVisits != 0 || math.Abs(b.RPS.PerSecond-1234.9/86400) > 1e-15 || b.LastDays != 3 || b.OffsetDays != 1 {
		t.Errorf("backfill %+v", b)
	}
	if r.Duration != nil || r.DailyCap != 0 {
		t.Errorf("realtime stops kept in a backfill: %+v", r)
	}
	for _, w := range []diagAt{
		{7, 29, diag.Warning, "BACKFILL_MAX_VISITS_PER_DAY=0 meant int(TARGET_VISITS_PER_DAY) = 1234"},
		{8, 1, diag.Info, "BACKFILL_MAX_VISITS_TOTAL=0 meant no limit"},
		{9, 1, diag.Info, "BACKFILL_RPS_LIMIT=0 meant no limit of its own in the legacy loader: visits started at TARGET_VISITS_PER_DAY/86400 per second"},
		{10, 1, diag.Info, "AUTO_STOP_AFTER_HOURS is not used"},
		{11, 1, diag.Info, "MAX_TOTAL_VISITS is not used"},
		// No token: the scenario reads one from the environment.
		{3, 18, diag.Warning, "target \"matomo\" has no token, which a backfill needs"},
	} {
		if !findDiag(res.Diags, "test.env", w) {
			t.Errorf("missing %+v in\n%s", w, render(res))
		}
	}
	if res.Scenario.Targets[0].TokenAuth != "${MATOMO_TOKEN_AUTH}" {
		t.Errorf("token %q", res.Scenario.Targets[0].TokenAuth)
	}
	res = migrateString(t, baseEnv+"BACKFILL_ENABLED=true\nBACKFILL_DAYS_BACK=3\nBACKFILL_DURATION_DAYS=3\nBACKFILL_RPS_LIMIT=-1\nBACKFILL_SEED=\n"+tokenLine)
	for _, w := range []diagAt{
		{6, 20, diag.Error, "BACKFILL_RPS_LIMIT=-1 is out of range: a negative limit stalled the legacy backfill"},
		{7, 15, diag.Error, "BACKFILL_SEED is empty"},
	} {
		if !findDiag(res.Diags, "test.env", w) {
			t.Errorf("missing %+v in\n%s", w, render(res))
		}
	}
}

func TestBackfillOffIgnoresItsSettings(t *testing.T) {
	res := migrateString(t, baseEnv+"BACKFILL_ENABLED=false\nBACKFILL_DAYS_BACK=x\nBACKFILL_SEED=4\n")
	if res.Diags.HasErrors() || res.Scenario.Run.Mode != "realtime" || res.Scenario.Run.Seed != nil {
		t.Fatalf("%s", render(res))
	}
	for _, w := range []diagAt{
		{4, 1, diag.Info, "BACKFILL_DAYS_BACK is not used: BACKFILL_ENABLED is not true"},
		{5, 1, diag.Info, "BACKFILL_SEED is not used"},
	} {
		if !findDiag(res.Diags, "test.env", w) {
			t.Errorf("missing %+v in\n%s", w, render(res))
		}
	}
}
