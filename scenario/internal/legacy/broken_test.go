package legacy_test

import (
	"testing"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// TestBrokenEnvOneErrorPerLine: every broken line of broken.env gets
// exactly one error, at the column of its value (or of the line for a
// line that is no assignment), and the misspelt key a warning with a
// "did you mean".
func TestBrokenEnvOneErrorPerLine(t *testing.T) {
	res := migrateFile(t, "broken.env", testOptions())
	const file = "testdata/broken.env"
	want := []diagAt{
		{2, 12, diag.Error, "scheme must be http or https, not ftp"},
		{3, 16, diag.Error, "MATOMO_SITE_ID=zero is not a whole number"},
		{4, 23, diag.Error, "TARGET_VISITS_PER_DAY=-5 is out of range"},
		{6, 15, diag.Error, "PAGEVIEWS_MAX (3) is below PAGEVIEWS_MIN (7, line 5)"},
		{7, 13, diag.Error, "CONCURRENCY is empty"},
		{8, 24, diag.Error, "SITESEARCH_PROBABILITY=1.5 is out of range: a probability is between 0 and 1"},
		{9, 20, diag.Error, "ECOMMERCE_CURRENCY=sek is not three capital letters"},
		{10, 10, diag.Error, "TIMEZONE=Mars/Olympus_Mons is not a known timezone"},
		{12, 21, diag.Error, "BACKFILL_START_DATE=2026-13-01 is not a date"},
		{13, 20, diag.Error, "BACKFILL_DAYS_BACK sets a relative backfill window, but BACKFILL_START_DATE (line 12) set an absolute one"},
		{14, 1, diag.Error, "not an assignment"},
		{15, 1, diag.Warning, "unknown legacy variable MATOMO_SIET_ID"},
	}
	for _, w := range want {
		if !findDiag(res.Diags, file, w) {
			t.Errorf("missing %+v", w)
		}
	}
	errorsPerLine := map[int]int{}
	for _, d := range res.Diags {
		if d.Severity == diag.Error {
			errorsPerLine[d.Line]++
		}
		if d.Line == 15 && d.Hint != "did you mean MATOMO_SITE_ID?" {
			t.Errorf("line 15 hint %q", d.Hint)
		}
	}
	for line, n := range errorsPerLine {
		if n != 1 {
			t.Errorf("line %d has %d errors, want 1", line, n)
		}
	}
	if len(errorsPerLine) != 11 {
		t.Errorf("errors on %d lines, want 11: %v", len(errorsPerLine), errorsPerLine)
	}
	if res.YAML != nil || res.Scenario != nil {
		t.Error("a file with errors produced a scenario")
	}
}
