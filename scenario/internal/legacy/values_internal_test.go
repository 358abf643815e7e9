package legacy

import (
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/trafficinator/trafficinator/scenario/internal/model"
)

func TestFmtDuration(t *testing.T) {
	for _, c := range []struct {
		in   time.Duration
		want string
	}{
		{0, "0s"}, {300 * time.Millisecond, "300ms"}, {1500 * time.Millisecond, "1.5s"}, {30 * time.Second, "30s"},
		{3 * time.Minute, "3m"}, {90 * time.Second, "1m30s"}, {24 * time.Hour, "24h"}, {time.Hour + 30*time.Second, "1h30s"},
		{1500 * time.Microsecond, "1500us"}, {7, "7ns"}, {2*time.Second + 1, "2.000000001s"},
	} {
		got := fmtDuration(c.in)
		if got != c.want {
			t.Errorf("fmtDuration(%v) = %q, want %q", c.in, got, c.want)
		}
		if back, err := model.ParseDuration(got); err != nil || back != c.in {
			t.Errorf("%q parses back to %v, %v", got, back, err)
		}
	}
}

func TestPythonNumbers(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1.0", 1, true}, {"0.10", 0.1, true}, {"+5", 5, true}, {"1e3", 1000, true}, {".5", 0.5, true}, {"5.", 5, true},
		{"1_000.5", 1000.5, true}, {"-0.25", -0.25, true},
		{"inf", 0, false}, {"nan", 0, false}, {"0x10", 0, false}, {"1__0", 0, false}, {"", 0, false}, {"1e400", 0, false}, {"1,5", 0, false},
	} {
		got, err := pyFloat(c.in)
		if (err == nil) != c.ok || c.ok && got != c.want {
			t.Errorf("pyFloat(%q) = %v, %v", c.in, got, err)
		}
	}
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"12", 12, true}, {"+3", 3, true}, {"-7", -7, true}, {"0005", 5, true}, {"1_000", 1000, true},
		{"1.0", 0, false}, {"zero", 0, false}, {"1e3", 0, false}, {"99999999999999999999", 0, false},
	} {
		got, err := pyInt(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("pyInt(%q) = %v, %v", c.in, got, err)
		}
	}
}

// TestYAMLStringRoundTrip: every string the emitter writes reads back as
// the same string, through YAML and the loader's ${VAR} expansion.
func TestYAMLStringRoundTrip(t *testing.T) {
	for _, s := range []string{
		"plain", "with space", "true", "null", "1", "0.5", "2026-10-01", "- dash", "key: value", "a #b", "trailing:",
		"${NOT_A_REF}", "$$", "cost $5", "'quoted'", `"dq"`, "tab\there", "new\nline", "ü ñ 漢字", "\x01ctl", "[x]", "{y}",
		" lead", "trail ", "#hash", "@at", "%pct", "~", "yes", "No", "0x1F", ".inf", "\u2028", "*star", "&amp", "!bang", "|", ">",
	} {
		doc := "v: " + yamlString(s) + "\n"
		var got struct{ V string }
		if err := yaml.Unmarshal([]byte(doc), &got); err != nil {
			t.Errorf("%q: %v in %q", s, err, doc)
			continue
		}
		expanded := strings.ReplaceAll(got.V, "$$", "$") // what the loader does to a string without ${
		if expanded != s {
			t.Errorf("%q written as %q reads back as %q", s, doc, expanded)
		}
	}
}

// TestRelativeWindowMatchesLegacy: last_days/offset_days resolve to the
// days the legacy loader replayed (start = today − N, end = start + M − 1).
func TestRelativeWindowMatchesLegacy(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	today := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ back, dur int }{{1, 1}, {30, 30}, {14, 7}, {0, 1}, {10, 11}, {365, 180}} {
		m := newMigration("x.env", []byte("MATOMO_URL=https://m.example/matomo.php\nTIMEZONE=UTC\n"), Options{Now: func() time.Time { return now }})
		m.readEnv()
		m.buildRun()
		b := &model.Backfill{}
		m.relativeWindow(b, c.back, c.dur, &setting{key: "BACKFILL_DAYS_BACK"}, &setting{key: "BACKFILL_DURATION_DAYS"})
		if m.diags.HasErrors() {
			t.Fatalf("%+v: %v", c, m.diags)
		}
		w := model.ResolveWindow(b, time.UTC, now)
		wantFrom := today.AddDate(0, 0, -c.back)
		wantTo := wantFrom.AddDate(0, 0, c.dur-1)
		if !w.From.Equal(wantFrom) || !w.To.Equal(wantTo) {
			t.Errorf("back %d dur %d: window %s..%s, legacy %s..%s", c.back, c.dur,
				w.From.Format(time.DateOnly), w.To.Format(time.DateOnly), wantFrom.Format(time.DateOnly), wantTo.Format(time.DateOnly))
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap("one two three four", "# ", "#   ", 10)
	want := []string{"# one two", "#   three", "#   four"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrap = %q", got)
	}
	if got := wrap("", "# note: ", "#", 20); len(got) != 1 || got[0] != "# note:" {
		t.Errorf("empty wrap = %q", got)
	}
}

func TestScenarioName(t *testing.T) {
	for in, want := range map[string]string{
		"light.env": "light", "dir/.env.light": "light", ".env": "legacy-env", "/x/.env": "legacy-env", "prod": "prod", ".env-heavy": "heavy",
	} {
		if got := scenarioName(in); got != want {
			t.Errorf("scenarioName(%q) = %q, want %q", in, got, want)
		}
	}
}
