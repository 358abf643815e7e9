package legacy_test

import (
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/legacy"
)

const baseEnv = "MATOMO_URL=https://m.example/matomo.php\nMATOMO_SITE_ID=2\n"

// yamlLine returns the line of the YAML that starts (after indentation)
// with prefix, or "".
func yamlLine(yaml []byte, prefix string) string {
	for _, l := range strings.Split(string(yaml), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), prefix) {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

// notesAbove returns the text of the comment lines right above the first
// line that starts with prefix, as one line of words.
func notesAbove(yaml []byte, prefix string) string {
	lines := strings.Split(string(yaml), "\n")
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), prefix) {
			var words []string
			for j := i - 1; j >= 0 && strings.HasPrefix(strings.TrimSpace(lines[j]), "#"); j-- {
				text := strings.TrimPrefix(strings.TrimSpace(lines[j]), "#")
				words = append(strings.Fields(strings.TrimPrefix(strings.TrimSpace(text), "note:")), words...)
			}
			return strings.Join(words, " ")
		}
	}
	return ""
}

func TestEnvSyntax(t *testing.T) {
	env := "# comment\n\n" +
		"export MATOMO_URL=https://m.example/matomo.php\n" + // 3
		"MATOMO_SITE_ID='4'\n" + // 4
		"BASE=\"20\"\n" + // 5
		"TARGET_VISITS_PER_DAY=${BASE}000\n" + // 6
		"CONCURRENCY=5 # inline comment\n" + // 7
		"CONCURRENCY=7\n" + // 8: duplicate, last wins
		"ECOMMERCE_CURRENCY='${NOT_EXPANDED}'\n" // 9: single quotes are literal
	res := migrateString(t, env)
	for _, w := range []diagAt{
		{8, 1, diag.Warning, "CONCURRENCY is set again (also on line 7); the last value wins"},
		{5, 1, diag.Warning, "unknown legacy variable BASE"},
		{9, 20, diag.Error, "ECOMMERCE_CURRENCY=${NOT_EXPANDED} is not three capital letters"},
	} {
		if !findDiag(res.Diags, "test.env", w) {
			t.Errorf("missing %+v in\n%s", w, render(res))
		}
	}
	env = strings.Replace(env, "ECOMMERCE_CURRENCY='${NOT_EXPANDED}'", "ECOMMERCE_CURRENCY=\"EUR\"", 1)
	res = migrateString(t, env)
	if res.Diags.HasErrors() {
		t.Fatal(render(res))
	}
	for _, want := range []string{"url: https://m.example/matomo.php", "site_id: 4", "rate: 20000/day", "concurrency: 7", "currency: EUR"} {
		if l := yamlLine(res.YAML, strings.SplitN(want, ":", 2)[0]+":"); !strings.HasPrefix(l, want) {
			t.Errorf("got %q, want %q", l, want)
		}
	}
}

func TestUnsetReferenceWarns(t *testing.T) {
	res := legacy.Migrate("t.env", []byte(baseEnv+"TIMEZONE=${TZ_FROM_ENV}\n"), legacy.Options{Now: now, Lookup: noEnv})
	if !findDiag(res.Diags, "t.env", diagAt{3, 10, diag.Warning, "TIMEZONE refers to TZ_FROM_ENV, which is not set"}) {
		t.Errorf("no warning:\n%s", render(res))
	}
	res = legacy.Migrate("t.env", []byte(baseEnv+"TIMEZONE=${TZ_FROM_ENV}\n"), legacy.Options{Now: now,
		Lookup: func(n string) (string, bool) { return "Europe/Paris", n == "TZ_FROM_ENV" }})
	if res.Diags.HasErrors() || yamlLine(res.YAML, "timezone:") == "" || !strings.HasPrefix(yamlLine(res.YAML, "timezone:"), "timezone: Europe/Paris") {
		t.Errorf("the reference did not resolve from the environment:\n%s\n%s", render(res), res.YAML)
	}
}

func TestUnknownAndIgnoredKeys(t *testing.T) {
	res := migrateString(t, baseEnv+
		"matomo_url=x\n"+ // 3
		"CONTROL_UI_API_KEY=supersecretkey\n"+ // 4
		"CONTROL_UI_THEME=dark\n"+ // 5
		"DOCKER_HOST=unix:///var/run/docker.sock\n"+ // 6
		"TARGET_VISITS_PER_DAYS=5\n") // 7
	want := []struct {
		at   diagAt
		hint string
	}{
		{diagAt{3, 1, diag.Warning, "unknown legacy variable matomo_url"}, "did you mean MATOMO_URL? legacy variable names are upper case"},
		{diagAt{4, 1, diag.Info, "CONTROL_UI_API_KEY is ignored: a setting of the Control UI"}, ""},
		{diagAt{5, 1, diag.Info, "CONTROL_UI_THEME is ignored"}, ""},
		{diagAt{6, 1, diag.Info, "DOCKER_HOST is ignored"}, ""},
		{diagAt{7, 1, diag.Warning, "unknown legacy variable TARGET_VISITS_PER_DAYS"}, "did you mean TARGET_VISITS_PER_DAY?"},
	}
	for _, w := range want {
		found := false
		for _, d := range res.Diags {
			if d.Line == w.at.Line && d.Severity == w.at.Sev && strings.Contains(d.Message, w.at.Has) && d.Hint == w.hint {
				found = true
			}
		}
		if !found {
			t.Errorf("missing %+v hint %q in\n%s", w.at, w.hint, render(res))
		}
	}
	if strings.Contains(render(res), "supersecretkey") || strings.Contains(string(res.Sources["test.env"]), "supersecretkey") {
		t.Error("the Control UI key is shown")
	}
	if !strings.Contains(string(res.YAML), "#   - DOCKER_HOST (line 6): a setting of Docker") {
		t.Errorf("the header does not list DOCKER_HOST as not migrated:\n%s", res.YAML)
	}
}

// TestLegacyQuirksSaidOutLoud covers the quirks of legacy spec §11 that a
// setting triggers: each keeps its effect or says what changes, in a
// diagnostic and in a note next to its field.
func TestLegacyQuirksSaidOutLoud(t *testing.T) {
	cases := []struct {
		name, env string
		at        diagAt
		field     string // the YAML line the note sits above
		note      string
	}{
		{"max total visits is a daily cap", "MAX_TOTAL_VISITS=500\n",
			diagAt{3, 18, diag.Warning, "MAX_TOTAL_VISITS becomes run.daily_cap"}, "daily_cap: 500", "crashed its producer"},
		{"direct below 0.30 keeps the effective 0.30", "DIRECT_TRAFFIC_PROBABILITY=0.2\n",
			diagAt{3, 1, diag.Info, "was below 0.30, but the legacy tool sent 30% of visits without a referrer"},
			"sources: { direct: 0.3, search: 0.35, social: 0.15, referral: 0.2 }", "defect 8"},
		{"direct above 0.30 truncates referral", "DIRECT_TRAFFIC_PROBABILITY=0.6\n",
			diagAt{3, 1, diag.Info, "search 0.35, social 0.05, referral 0 instead"},
			"sources: { direct: 0.6, search: 0.35, social: 0.05, referral: 0 }", "cut the last referrer categories short"},
		{"RANDOMIZE_VISITOR_COUNTRIES=1 was off", "RANDOMIZE_VISITOR_COUNTRIES=1\n",
			diagAt{3, 29, diag.Warning, "RANDOMIZE_VISITOR_COUNTRIES=1 turned visitor countries off in the legacy loader"}, "geo: false", "only \"true\""},
		{"RANDOMIZE_VISITOR_COUNTRIES=TRUE was on", "RANDOMIZE_VISITOR_COUNTRIES=TRUE\nMATOMO_TOKEN_AUTH=0123456789abcdef\n",
			diagAt{3, 1, diag.Info, "visitor IPs (cip) come from trafficinator's country table"}, "geo: true", "per IP range"},
		{"BACKFILL_ENABLED=yes was off", "BACKFILL_ENABLED=yes\n",
			diagAt{3, 18, diag.Warning, "BACKFILL_ENABLED=yes left backfill off"}, "mode: realtime", "stays realtime"},
		{"LOG_LEVEL had no effect", "LOG_LEVEL=DEBUG\n",
			diagAt{3, 1, diag.Info, "LOG_LEVEL is ignored: it had no effect in the legacy loader (defect B2"}, "# Not migrated:", ""},
		{"AUTO_START=false waited for a signal", "AUTO_START=false\n",
			diagAt{3, 1, diag.Info, "the legacy loader waited for its start-signal file"}, "# Not migrated:", ""},
		{"auto-stop overshoot", "AUTO_STOP_AFTER_HOURS=1.5\n",
			diagAt{3, 1, diag.Info, "stopped up to 10s after AUTO_STOP_AFTER_HOURS"}, "duration: 1h30m", "defect 13"},
		{"trailing slash dropped", "MATOMO_URL=https://m.example/matomo.php/\n",
			diagAt{3, 1, diag.Warning, "MATOMO_URL is set again"}, "url: https://m.example/matomo.php", "trailing / of the legacy URL is dropped"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := migrateString(t, baseEnv+c.env)
			if res.Diags.HasErrors() {
				t.Fatal(render(res))
			}
			if !findDiag(res.Diags, "test.env", c.at) {
				t.Errorf("missing %+v in\n%s", c.at, render(res))
			}
			if yamlLine(res.YAML, strings.TrimPrefix(c.field, "# ")) == "" && !strings.Contains(string(res.YAML), c.field) {
				t.Fatalf("no line %q in\n%s", c.field, res.YAML)
			}
			if c.note != "" && !strings.Contains(notesAbove(res.YAML, c.field), c.note) {
				t.Errorf("no note %q above %q in\n%s", c.note, c.field, res.YAML)
			}
		})
	}
}

// TestLoaderDefaultsWin: unset currency and timezone take the loader's
// SEK and CET (not the README's USD and UTC), and the YAML says so.
func TestLoaderDefaultsWin(t *testing.T) {
	res := migrateString(t, baseEnv)
	if l := yamlLine(res.YAML, "currency:"); l != "currency: SEK  # ECOMMERCE_CURRENCY not set: the legacy loader's default" {
		t.Errorf("currency line %q", l)
	}
	if l := yamlLine(res.YAML, "timezone:"); l != "timezone: CET  # TIMEZONE not set: legacy default" {
		t.Errorf("timezone line %q", l)
	}
	for field, note := range map[string]string{"currency:": "said USD; the loader's behaviour wins", "timezone:": "said UTC; the loader's behaviour wins"} {
		if !strings.Contains(notesAbove(res.YAML, field), note) {
			t.Errorf("no note %q above %s", note, field)
		}
	}
	// The legacy default was on; with no token to send cip it is off,
	// since a geo: true no target can honour is an error in a scenario.
	if l := yamlLine(res.YAML, "geo:"); l != "geo: false  # RANDOMIZE_VISITOR_COUNTRIES not set: legacy default; off: no target has a token" {
		t.Errorf("geo line %q without a token", l)
	}
	res = migrateString(t, baseEnv+"MATOMO_TOKEN_AUTH=0123456789abcdef\n")
	if l := yamlLine(res.YAML, "geo:"); l != "geo: true  # RANDOMIZE_VISITOR_COUNTRIES not set: legacy default" {
		t.Errorf("geo line %q with a token (the legacy default was on)", l)
	}
}

// TestTokensAreReferences: a token in the .env never reaches the YAML, the
// diagnostics or the quoted sources; the scenario refers to the variable.
func TestTokensAreReferences(t *testing.T) {
	const tok = "f00dcafef00dcafef00dcafef00dcafe"
	res := migrateString(t, baseEnv+"MATOMO_TOKEN_AUTH="+tok+"\nMATOMO_SITE_ID=x"+tok+"\n")
	if strings.Contains(render(res), tok) || strings.Contains(string(res.Sources["test.env"]), tok) {
		t.Errorf("token in the diagnostics or sources:\n%s", render(res))
	}
	res = migrateString(t, baseEnv+"MATOMO_TOKEN_AUTH="+tok+"\n")
	if strings.Contains(string(res.YAML), tok) {
		t.Error("token in the YAML")
	}
	if l := yamlLine(res.YAML, "token_auth:"); !strings.HasPrefix(l, "token_auth: ${MATOMO_TOKEN_AUTH}") {
		t.Errorf("token line %q", l)
	}
	if res.Env["MATOMO_TOKEN_AUTH"] != tok {
		t.Errorf("Env = %v", res.Env)
	}
}

func TestMissingURLIsAnError(t *testing.T) {
	res := migrateString(t, "MATOMO_SITE_ID=1\n")
	if len(res.Diags) == 0 || !res.Diags.HasErrors() || !strings.Contains(render(res), "MATOMO_URL is not set") {
		t.Errorf("no error:\n%s", render(res))
	}
}

func TestValueErrors(t *testing.T) {
	for _, c := range []struct {
		line string
		at   diagAt
	}{
		{"CONCURRENCY=None", diagAt{3, 13, diag.Error, "CONCURRENCY=None is not a number"}},
		{"PAUSE_BETWEEN_PVS_MIN=-1", diagAt{3, 23, diag.Error, "out of range"}},
		{"VISIT_DURATION_MAX=0.5", diagAt{3, 20, diag.Error, "VISIT_DURATION_MAX (0.5) is below VISIT_DURATION_MIN (1, the legacy default)"}},
		{"ECOMMERCE_SHIPPING_RATES=0, 4.9,x,5", diagAt{3, 33, diag.Error, "ECOMMERCE_SHIPPING_RATES: x is not a number"}},
		{"ECOMMERCE_ITEMS_MIN=0", diagAt{3, 21, diag.Error, "out of range"}},
		{"ECOMMERCE_TAX_RATE=1.5", diagAt{3, 20, diag.Error, "a tax rate is between 0 and 1"}},
		{"CONCURRENCY=800", diagAt{3, 13, diag.Warning, "outside what the legacy validator accepted (1 to 500)"}},
		{"MATOMO_SITE_ID=0", diagAt{3, 16, diag.Error, "a Matomo site id is a whole number from 1"}},
	} {
		res := migrateString(t, baseEnv+c.line+"\n")
		if !findDiag(res.Diags, "test.env", c.at) {
			t.Errorf("%s: missing %+v in\n%s", c.line, c.at, render(res))
		}
	}
}

// TestEveryKeyIsRead: a file that sets every legacy variable leaves none
// of them unread ("is not migrated" would mean a builder forgot one).
func TestEveryKeyIsRead(t *testing.T) {
	values := map[string]string{
		"MATOMO_URL": "https://m.example/matomo.php", "MATOMO_SITE_ID": "1", "MATOMO_TOKEN_AUTH": "0123456789abcdef",
		"URLS_FILE": "/config/urls.txt", "FUNNEL_CONFIG_PATH": "/app/data/funnels.json", "ECOMMERCE_CURRENCY": "EUR",
		"ECOMMERCE_SHIPPING_RATES": "0,5", "TIMEZONE": "UTC", "RANDOMIZE_VISITOR_COUNTRIES": "true", "LOG_LEVEL": "INFO",
		"AUTO_START": "true", "START_SIGNAL_FILE": "/x", "BACKFILL_ENABLED": "true", "BACKFILL_DAYS_BACK": "3",
		"BACKFILL_DURATION_DAYS": "2", "BACKFILL_RUN_ONCE": "true", "CORS_ORIGINS": "*", "CONFIG_DB_PATH": "/db",
		"DOCKER_HOST": "unix:///x", "MULTI_TARGET_CONFIG": "", "CONTROL_UI_API_KEY": "k3y-k3y-k3y", "API_KEY": "k3y-k3y-k3y",
		"BACKFILL_HISTORY_PATH": "/h", "BACKFILL_CONTAINER_PREFIX": "p",
		"BACKFILL_START_DATE": "", "BACKFILL_END_DATE": "", // empty counts as unset, as in the loader
	}
	var b strings.Builder
	for _, k := range legacy.LegacyKeyNames() {
		v, ok := values[k]
		if !ok {
			v = "1"
		}
		b.WriteString(k + "=" + v + "\n")
	}
	res := migrateString(t, b.String())
	if res.Diags.HasErrors() || strings.Contains(render(res), "is not migrated") {
		t.Errorf("%s", render(res))
	}
}

func TestResultLookup(t *testing.T) {
	res := migrateString(t, baseEnv+"MATOMO_TOKEN_AUTH=from-the-env-file\n")
	look := res.Lookup(func(n string) (string, bool) { return "from-the-process", n == "OTHER" })
	if v, ok := look("MATOMO_TOKEN_AUTH"); !ok || v != "from-the-env-file" {
		t.Errorf("token %q %t", v, ok)
	}
	if v, _ := look("OTHER"); v != "from-the-process" {
		t.Errorf("OTHER %q", v)
	}
	if _, ok := look("UNSET"); ok {
		t.Error("UNSET is set")
	}
}

// TestNestedDefaultsInEnv: a .env value has the scenario's grammar, so
// defaults nest; a reference with a default is no unset reference (it
// used to warn "expands to an empty string" while it expanded to its
// default), one without a default inside a used default is.
func TestNestedDefaultsInEnv(t *testing.T) {
	res := legacy.Migrate("t.env", []byte(baseEnv+"TIMEZONE=${TZ_A:-${TZ_B:-Europe/Berlin}}\n"), legacy.Options{Now: now, Lookup: noEnv})
	if res.Diags.HasErrors() || !strings.HasPrefix(yamlLine(res.YAML, "timezone:"), "timezone: Europe/Berlin") {
		t.Errorf("nested default:\n%s\n%s", render(res), res.YAML)
	}
	for _, d := range res.Diags {
		if strings.Contains(d.Message, "refers to") {
			t.Errorf("a reference with a default warned: %s", d.Message)
		}
	}
	res = legacy.Migrate("t.env", []byte(baseEnv+"TIMEZONE=${TZ_A:-${TZ_B:-Europe/Berlin}}\n"), legacy.Options{Now: now,
		Lookup: func(n string) (string, bool) { return "Europe/Paris", n == "TZ_B" }})
	if !strings.HasPrefix(yamlLine(res.YAML, "timezone:"), "timezone: Europe/Paris") {
		t.Errorf("TZ_B did not win over the inner default:\n%s", res.YAML)
	}
	res = legacy.Migrate("t.env", []byte(baseEnv+"ECOMMERCE_CURRENCY=${UNSET_CUR:-${NOPE}}\n"), legacy.Options{Now: now, Lookup: noEnv})
	if !findDiag(res.Diags, "t.env", diagAt{3, 20, diag.Warning, "ECOMMERCE_CURRENCY refers to NOPE, which is not set"}) {
		t.Errorf("no warning about NOPE:\n%s", render(res))
	}
}
