package model

import (
	"fmt"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// invalidCase is one broken scenario and the one diagnostic it must give.
// Line numbers follow the layout documented in helpers_test.go.
type invalidCase struct {
	name string
	src  string
	env  map[string]string
	at   string // "LINE:COL" of the diagnostic
	sev  diag.Severity
	frag string // a fragment of the message
	hint string // a fragment of the hint, if the case checks it
	// count is the number of diagnostics the file gives in all; 0 means 1.
	// A second diagnostic must be named in the case's comment.
	count int
}

// Positions: a type, enum or range error points at the value; an unknown
// field at its key; a missing field at the key of the mapping that lacks
// it (or at the mapping itself, for a list item, which has no key).
var invalidCases = []invalidCase{
	// --- min ≤ max, everywhere a range appears -------------------------
	{name: "pageviews min > max", src: withTail("traffic:\n  pageviews:\n    min: 5\n    max: 2\n"),
		at: "14:10", sev: diag.Error, frag: "min (5) is greater than max (2)"},
	{name: "pause min > max", src: withTail("traffic:\n  pause:\n    min: 3s\n    max: 1s\n"),
		at: "14:10", sev: diag.Error, frag: "min (3s) is greater than max (1s)"},
	{name: "visit_duration min > max in flow style", src: withTail("traffic:\n  visit_duration: {min: 8m, max: 1m}\n"),
		at: "13:25", sev: diag.Error, frag: "min (8m) is greater than max (1m)"},
	{name: "ecommerce order_value min > max", src: withTail("traffic:\n  features:\n    ecommerce:\n      order_value:\n        min: 50\n        max: 10\n"),
		at: "16:14", sev: diag.Error, frag: "min (50) is greater than max (10)"},
	{name: "ecommerce items min > max", src: withTail("traffic:\n  features:\n    ecommerce:\n      items:\n        min: 4\n        max: 2\n"),
		at: "16:14", sev: diag.Error, frag: "min (4) is greater than max (2)"},
	{name: "funnel step delay min > max", src: withTail("traffic:\n  funnels:\n    - name: f\n      probability: 0.1\n      steps:\n        - type: pageview\n          delay:\n            min: 2s\n            max: 1s\n"),
		at: "19:18", sev: diag.Error, frag: "min (2s) is greater than max (1s)"},
	{name: "backfill visits_per_day min > max",
		src: withRunTargets("run:\n  mode: backfill\n  backfill:\n    last_days: 3\n    visits_per_day:\n      min: 10\n      max: 5\n",
			"targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    token_auth: tok-1234\n"),
		at: "10:12", sev: diag.Error, frag: "min (10) is greater than max (5)"},

	// --- targets ---------------------------------------------------------
	{name: "duplicate target name", src: withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n  - name: a\n    kind: sink\n    site_id: 2\n"),
		at: "12:11", sev: diag.Error, frag: `duplicate target name "a"`},
	{name: "weight 0", src: withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    weight: 0\n"),
		at: "12:13", sev: diag.Error, frag: "must be greater than 0 (got 0)", hint: "enabled: false"},
	{name: "negative weight", src: withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    weight: -1\n"),
		at: "12:13", sev: diag.Error, frag: "must be greater than 0 (got -1)"},
	{name: "every target disabled", src: withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    enabled: false\n"),
		at: "8:1", sev: diag.Error, frag: "every target is disabled"},
	{name: "url without scheme", src: withTargets("targets:\n  - name: a\n    url: matomo.example.com/matomo.php\n    site_id: 1\n"),
		at: "10:10", sev: diag.Error, frag: "URL must start with http:// or https://"},
	{name: "url without host", src: withTargets("targets:\n  - name: a\n    url: \"https:///matomo.php\"\n    site_id: 1\n"),
		at: "10:10", sev: diag.Error, frag: "URL has no host"},
	{name: "matomo target without url", src: withTargets("targets:\n  - name: a\n    site_id: 1\n"),
		at: "9:5", sev: diag.Error, frag: `missing required field "url"`},
	{name: "sink with url", src: withTargets("targets:\n  - name: a\n    kind: sink\n    url: http://x.example/\n    site_id: 1\n"),
		at: "11:5", sev: diag.Error, frag: "a kind: sink target takes no url"},
	{name: "empty target list", src: withTargets("targets: []\n"),
		at: "8:10", sev: diag.Error, frag: "must have at least 1 item"},

	// --- shares and probabilities ----------------------------------------
	{name: "traffic source shares above 1", src: withTail("traffic:\n  sources:\n    direct: 0.5\n    search: 0.6\n"),
		at: "13:3", sev: diag.Error, frag: "traffic source shares add up to 1.1, more than 1"},
	{name: "traffic source shares with campaign above 1", src: withTail("traffic:\n  sources:\n    direct: 0.5\n    campaign: 0.6\n"),
		at: "13:3", sev: diag.Error, frag: "traffic source shares add up to 1.1, more than 1"},
	{name: "one source share above 1", src: withTail("traffic:\n  sources:\n    social: 1.2\n"),
		at: "14:13", sev: diag.Error, frag: "must be at most 1 (got 1.2)"},
	{name: "country shares above 1", src: withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    token_auth: tok-1234\n    features:\n      geo:\n        countries:\n          US: 0.7\n          DE: 0.5\n"),
		at: "15:9", sev: diag.Error, frag: "country shares add up to 1.2"},
	{name: "feature probability above 1", src: withTail("traffic:\n  features:\n    outlinks:\n      probability: 1.5\n"),
		at: "15:20", sev: diag.Error, frag: "must be at most 1 (got 1.5)"},
	{name: "funnel probability below 0", src: withTail("traffic:\n  funnels:\n    - name: f\n      probability: -0.1\n      steps:\n        - type: pageview\n"),
		at: "15:20", sev: diag.Error, frag: "must be at least 0 (got -0.1)"},

	// --- durations, rates, timezone --------------------------------------
	{name: "duration in words", src: withRun("run:\n  rate: 1/s\n  duration: 10 minutes\n"),
		at: "7:13", sev: diag.Error, frag: `invalid duration "10 minutes"`},
	{name: "duration without unit", src: withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    timeout: \"10\"\n"),
		at: "12:14", sev: diag.Error, frag: `invalid duration "10": a unit is required`},
	{name: "duration written as a number", src: withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    timeout: 10\n"),
		at: "12:14", sev: diag.Error, frag: "expected string, got number"},
	{name: "negative policy for", src: withTail("policies:\n  - name: p\n    when: errors > 0\n    for: -5s\n    action: warn\n"),
		at: "15:10", sev: diag.Error, frag: "must not be negative"},
	{name: "stage duration typo", src: withRun("run:\n  stages:\n    - duration: 2x\n      rate: 10/s\n"),
		at: "7:17", sev: diag.Error, frag: `invalid duration "2x"`},
	{name: "rate with unknown unit", src: withRun("run:\n  rate: 10/fortnight\n  duration: 1m\n"),
		at: "6:9", sev: diag.Error, frag: `unknown unit "fortnight"`},
	{name: "realtime rate auto", src: withRun("run:\n  rate: auto\n  duration: 1m\n"),
		at: "6:9", sev: diag.Error, frag: "rate auto is for backfill only (run.backfill.rps: auto): realtime sends the planned rate"},
	{name: "stage rate auto", src: withRun("run:\n  stages:\n    - duration: 1m\n      rate: auto\n"),
		at: "8:13", sev: diag.Error, frag: "rate auto is for backfill only"},
	{name: "backfill rps neither a number nor auto",
		src: withRunTargets("run:\n  mode: backfill\n  backfill:\n    last_days: 3\n    rps: fast\n", sinkTarget+"    token_auth: tok-1234\n"),
		at:  "9:10", sev: diag.Error, frag: "auto"},
	{name: "rate that is not a number", src: withRun("run:\n  rate: ten/s\n  duration: 1m\n"),
		at: "6:9", sev: diag.Error, frag: `"ten" is not a number`},
	{name: "timezone that does not exist", src: withRun("run:\n  rate: 1/s\n  duration: 1m\n  timezone: Europe/Stokholm\n"),
		at: "8:13", sev: diag.Error, frag: `unknown timezone "Europe/Stokholm"`, hint: "IANA"},

	// --- backfill windows (the clock is 2026-11-15) ----------------------
	{name: "backfill absolute and relative", src: withRunTargets("run:\n  mode: backfill\n  backfill:\n    from: 2026-10-01\n    to: 2026-10-31\n    last_days: 10\n", tokenSink),
		at: "7:3", sev: diag.Error, frag: "both absolute (from/to) and relative (last_days)"},
	{name: "backfill window missing", src: withRunTargets("run:\n  mode: backfill\n  backfill:\n    rps: 5\n", tokenSink),
		at: "7:3", sev: diag.Error, frag: "backfill window is missing"},
	{name: "backfill from without to", src: withRunTargets("run:\n  mode: backfill\n  backfill:\n    from: 2026-10-01\n", tokenSink),
		at: "7:3", sev: diag.Error, frag: "to is missing"},
	{name: "backfill ends in the future", src: withRunTargets("run:\n  mode: backfill\n  backfill:\n    from: 2026-11-01\n    to: 2026-11-16\n", tokenSink),
		at: "9:9", sev: diag.Error, frag: "ends in the future (2026-11-16 is after today, 2026-11-15"},
	{name: "backfill ends in the future of its timezone", src: withRunTargets("run:\n  mode: backfill\n  timezone: Pacific/Kiritimati\n  backfill:\n    from: 2026-11-01\n    to: 2026-11-17\n", tokenSink),
		at: "10:9", sev: diag.Error, frag: "today, 2026-11-16, in Pacific/Kiritimati"},
	{name: "backfill longer than 180 days", src: withRunTargets("run:\n  mode: backfill\n  backfill:\n    from: 2026-01-01\n    to: 2026-11-01\n", tokenSink),
		at: "8:11", sev: diag.Error, frag: "305 days long; the maximum is 180"},
	{name: "backfill last_days above 180", src: withRunTargets("run:\n  mode: backfill\n  backfill:\n    last_days: 200\n", tokenSink),
		at: "8:16", sev: diag.Error, frag: "must be at most 180 (got 200)"},
	{name: "backfill from after to", src: withRunTargets("run:\n  mode: backfill\n  backfill:\n    from: 2026-10-10\n    to: 2026-10-01\n", tokenSink),
		at: "8:11", sev: diag.Error, frag: "from (2026-10-10) is after to (2026-10-01)"},
	{name: "backfill date not a date", src: withRunTargets("run:\n  mode: backfill\n  backfill:\n    from: 2026-13-01\n    to: 2026-10-01\n", tokenSink),
		at: "8:11", sev: diag.Error, frag: `invalid date "2026-13-01"`},
	{name: "backfill offset_days alone", src: withRunTargets("run:\n  mode: backfill\n  backfill:\n    offset_days: 3\n", tokenSink),
		at: "7:3", sev: diag.Error, frag: "offset_days needs last_days"},
	{name: "backfill mode without a window", src: withRunTargets("run:\n  mode: backfill\n", tokenSink),
		at: "5:1", sev: diag.Error, frag: "run.mode is backfill but run.backfill is missing"},
	{name: "backfill hourly_weights not 24", src: withRunTargets("run:\n  mode: backfill\n  backfill:\n    last_days: 3\n    hourly_weights: [1, 2]\n", tokenSink),
		at: "9:21", sev: diag.Error, frag: "must have exactly 24 items (got 2)"},

	// --- token_auth: geo and backfill ------------------------------------
	{name: "geo on a target without token_auth", src: withTargets("targets:\n  - name: a\n    url: https://m.example.com/matomo.php\n    site_id: 1\n    features:\n      geo: true\n"),
		at: "13:7", sev: diag.Error, frag: `target "a" enables geo (cip) but has no token_auth`, hint: "set token_auth"},
	// traffic.features.geo that no target can honour is an error at its key;
	// honoured by one target, it is a warning for the others.
	{name: "geo that no target can honour", src: withTargets("targets:\n  - name: a\n    url: https://m.example.com/matomo.php\n    site_id: 1\ntraffic:\n  features:\n    geo: true\n"),
		at: "14:5", sev: diag.Error, frag: "geo is on, but no enabled target can send a visitor's address: none has a token_auth (for cip) or an ip_header", hint: "set token_auth on a target"},
	{name: "geo with countries that no target can honour", src: withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n  - name: b\n    kind: sink\n    site_id: 2\n    token_auth: tok-1234\n    enabled: false\ntraffic:\n  features:\n    geo: {countries: {SE: 1}}\n"),
		at: "19:5", sev: diag.Error, frag: "geo is on, but no enabled target", hint: "or ip_header"},
	{name: "geo inherited by a target without token_auth", src: withTargets("targets:\n  - name: a\n    url: https://m.example.com/matomo.php\n    site_id: 1\n  - name: b\n    url: https://m.example.com/matomo.php\n    site_id: 2\n    token_auth: tok-1234\ntraffic:\n  features:\n    geo: true\n"),
		at: "9:5", sev: diag.Warning, frag: "geo (cip) is turned off for it", hint: "set token_auth"},
	{name: "backfill on a target without token_auth", src: withRunTargets("run:\n  mode: backfill\n  backfill:\n    last_days: 7\n", "targets:\n  - name: a\n    url: https://m.example.com/matomo.php\n    site_id: 1\n"),
		at: "10:5", sev: diag.Error, frag: `target "a" has no token_auth, which backfill needs`, hint: "token_auth: ${MATOMO_TOKEN}"},

	// --- funnels ---------------------------------------------------------
	{name: "funnel starting with an event", src: withTail("traffic:\n  funnels:\n    - name: f\n      probability: 0.5\n      steps:\n        - type: event\n          category: c\n          action: a\n"),
		at: "17:17", sev: diag.Error, frag: `the first step of funnel "f" is event, not a pageview`},
	{name: "event step without action", src: withTail("traffic:\n  funnels:\n    - name: f\n      probability: 0.5\n      steps:\n        - type: pageview\n        - type: event\n          category: c\n"),
		at: "18:11", sev: diag.Error, frag: `missing required field "action"`},
	{name: "duplicate funnel name", src: withTail("traffic:\n  funnels:\n    - name: f\n      probability: 0.1\n      steps: [{type: pageview}]\n    - name: f\n      probability: 0.1\n      steps: [{type: pageview}]\n"),
		at: "17:13", sev: diag.Error, frag: `duplicate funnel name "f"`},

	// --- policies --------------------------------------------------------
	{name: "policy names an unknown target", src: withTail("policies:\n  - name: p\n    scope: target\n    targets: [a, aa]\n    when: errors > 0\n    action: warn\n"),
		at: "15:18", sev: diag.Error, frag: `policy "p" names unknown target "aa"`, hint: `did you mean "a"?`},
	{name: "policy expression typo", src: withTail("policies:\n  - name: p\n    when: requests > 10 && eror_rate > 0.1\n    action: warn\n"),
		at: "14:28", sev: diag.Error, frag: "unknown name eror_rate; did you mean error_rate?"},
	{name: "policy expression typo, quoted", src: withTail("policies:\n  - name: p\n    when: \"requests > 10 && eror_rate > 0.1\"\n    action: warn\n"),
		at: "14:29", sev: diag.Error, frag: "unknown name eror_rate"},
	{name: "policy expression typo, literal block", src: withTail("policies:\n  - name: p\n    when: |\n      requests > 10 &&\n        eror_rate > 0.1\n    action: warn\n"),
		at: "16:9", sev: diag.Error, frag: "unknown name eror_rate"},
	{name: "policy expression typo, folded block", src: withTail("policies:\n  - name: p\n    when: >-\n      requests > 10 &&\n      eror_rate > 0.1\n    action: warn\n"),
		at: "16:7", sev: diag.Error, frag: "unknown name eror_rate"},
	{name: "policy expression not boolean", src: withTail("policies:\n  - name: p\n    when: errors + 1\n    action: warn\n"),
		at: "14:11", sev: diag.Error, frag: "expected bool, but got int"},
	{name: "policy expression syntax", src: withTail("policies:\n  - name: p\n    when: errors > > 1\n    action: warn\n"),
		at: "14:20", sev: diag.Error, frag: "invalid expression: unexpected token Operator(\">\")"},
	{name: "policy for: on an end-of-run variable", src: withTail("policies:\n  - name: p\n    when: visits > 0 && recorded_ratio < 0.99\n    for: 30s\n    action: fail\n"),
		at: "15:5", sev: diag.Error, frag: `policy "p" reads recorded_ratio, known only at the end of a run: it cannot hold for a duration`,
		hint: "remove for: (the policy is evaluated once, after verification)"},
	{name: "policy for: on two end-of-run variables, flow style", src: withTail("policies:\n  - {name: q, when: \"sample_mismatches > 0 || actions_ratio < 1\", action: warn, for: 1m}\n"),
		at: "13:81", sev: diag.Error, frag: `policy "q" reads actions_ratio, sample_mismatches, known only at the end of a run`},
	{name: "policy window span that does not parse", src: withTail("policies:\n  - name: p\n    when: error_rate_over(\"1mn\") > 0.1\n    action: warn\n"),
		at: "14:27", sev: diag.Error, frag: `invalid window "1mn"`},
	{name: "policy window span too long", src: withTail("policies:\n  - name: p\n    when: |\n      requests > 10 &&\n      window(\"2h\").errors > 1\n    action: warn\n"),
		at: "16:14", sev: diag.Error, frag: `window "2h" is longer than 1h0m0s`},
	{name: "policy modulo by a counter that can be 0", src: withTail("policies:\n  - name: p\n    when: 10 % errors == 1\n    action: fail\n"),
		at: "14:16", sev: diag.Error, frag: "invalid expression: modulo by errors, which can be 0", hint: "variables:"},
	{name: "policy division without a guard, quoted", src: withTail("policies:\n  - name: p\n    when: \"hits > 0 && failed / requests > 0.1\"\n    action: fail\n"),
		at: "14:33", sev: diag.Error, frag: "division by requests, which can be 0 (it is before the first request): guard it, as in `requests > 0 && ...`"},
	{name: "policy division behind a guard that proves nothing, literal block", src: withTail("policies:\n  - name: p\n    when: |\n      requests > 0 ||\n        failed / requests > 0.1\n    action: fail\n"),
		at: "16:18", sev: diag.Error, frag: "division by requests"},
	{name: "policy literal range too large", src: withTail("policies:\n  - name: p\n    when: len(1..100000000) > 0\n    action: fail\n"),
		at: "14:15", sev: diag.Error, frag: "the range 1..100000000 builds 100000000 values: at most 10000 are allowed"},
	{name: "policy literal repeat too large", src: withTail("policies:\n  - name: p\n    when: len(repeat(\"x\", 100000)) > 0\n    action: fail\n"),
		at: "14:27", sev: diag.Error, frag: "repeat count 100000 is larger than 10000"},
	{name: "policy expression nested too deep", src: withTail("policies:\n  - name: p\n    when: " + strings.Repeat("(", 40) + "errors > 0" + strings.Repeat(")", 40) + "\n    action: fail\n"),
		at: "14:43", sev: diag.Error, frag: "expression nests deeper than 32 levels of brackets"},
	{name: "policy expression too long", src: withTail("policies:\n  - name: p\n    when: errors > " + strings.Repeat("1", 2100) + "\n    action: fail\n"),
		at: "14:2011", sev: diag.Error, frag: "expression is longer than 2000 characters (it has 2109)"},
	{name: "policy targets without scope target", src: withTail("policies:\n  - name: p\n    targets: [a]\n    when: errors > 0\n    action: warn\n"),
		at: "14:5", sev: diag.Error, frag: "targets applies only to scope: target"},
	{name: "policy disable_target in run scope", src: withTail("policies:\n  - name: p\n    when: errors > 0\n    action: disable_target\n"),
		at: "15:13", sev: diag.Error, frag: "disable_target needs scope: target"},
	{name: "duplicate policy name", src: withTail("policies:\n  - name: p\n    when: errors > 0\n    action: warn\n  - name: p\n    when: errors > 1\n    action: warn\n"),
		at: "16:11", sev: diag.Error, frag: `duplicate policy name "p"`},

	// --- YAML syntax, duplicate keys, tabs --------------------------------
	{name: "syntax: second colon in a plain value", src: withTargets("targets:\n  - name: a\n    kind: sink: x\n    site_id: 1\n"),
		at: "10:15", sev: diag.Error, frag: "YAML syntax error: mapping values are not allowed", hint: "quote values"},
	{name: "syntax: key indented too little", src: withTargets("targets:\n  - name: a\n   kind: sink\n    site_id: 1\n"),
		at: "10:4", sev: diag.Error, frag: "YAML syntax error: did not find expected '-' indicator", hint: "indentation"},
	{name: "syntax: value starting with @", src: withTargets("targets:\n  - name: @a\n    kind: sink\n    site_id: 1\n"),
		at: "9:11", sev: diag.Error, frag: "cannot start any token", hint: "quote values that start with @"},
	{name: "syntax: key without colon", src: withTail("traffic\npageviews: 1\n"),
		at: "12:1", sev: diag.Error, frag: "could not find expected ':'"},
	{name: "syntax: unknown anchor", src: withTail("traffic:\n  pageviews: *nope\n"),
		at: "13:14", sev: diag.Error, frag: "unknown anchor 'nope' referenced"},
	{name: "two documents", src: withTail("---\na: 1\n"),
		at: "12:1", sev: diag.Error, frag: "more than one YAML document"},
	{name: "empty file", src: "",
		at: "1:1", sev: diag.Error, frag: "file is empty"},
	{name: "comments only", src: "# nothing here\n",
		at: "1:1", sev: diag.Error, frag: "file is empty"},
	{name: "a document marker only", src: "# nothing here\n---\n",
		at: "1:1", sev: diag.Error, frag: "file is empty"},
	{name: "an explicit null", src: "# nothing here\n--- ~\n",
		at: "2:5", sev: diag.Error, frag: "must be a mapping"},
	{name: "top level is a list", src: "- a\n- b\n",
		at: "1:1", sev: diag.Error, frag: "must be a mapping"},
	{name: "duplicate key", src: withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    site_id: 2\n"),
		at: "12:5", sev: diag.Error, frag: `duplicate key "site_id" (first defined at line 11)`},
	{name: "duplicate top-level key", src: withTail("run:\n  rate: 2/s\n"),
		at: "12:1", sev: diag.Error, frag: `duplicate key "run" (first defined at line 5)`},
	{name: "tab in indentation", src: withTargets("targets:\n  - name: a\n\tkind: sink\n    site_id: 1\n"),
		at: "10:1", sev: diag.Error, frag: "tab character in indentation"},
	{name: "tab after spaces", src: withTargets("targets:\n  - name: a\n  \t  kind: sink\n    site_id: 1\n"),
		at: "10:3", sev: diag.Error, frag: "tab character in indentation"},

	// --- wrong types, enums, constants --------------------------------------
	{name: "site_id is a word", src: withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: one\n"),
		at: "11:14", sev: diag.Error, frag: "expected integer, got string"},
	{name: "site_id is a fraction", src: withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1.5\n"),
		at: "11:14", sev: diag.Error, frag: "expected integer, got 1.5"},
	{name: "enabled: yes is a string in YAML 1.2", src: withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    enabled: yes\n"),
		at: "12:14", sev: diag.Error, frag: "expected boolean, got string"},
	{name: "optional is not a boolean", src: withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    optional: 1\n"),
		at: "12:15", sev: diag.Error, frag: "expected boolean, got number"},
	{name: "targets is a mapping", src: withTargets("targets:\n  a:\n    kind: sink\n"),
		at: "9:3", sev: diag.Error, frag: "expected array, got object"},
	{name: "concurrency is a string", src: withRun("run:\n  duration: 1m\n  concurrency: many\n"),
		at: "7:16", sev: diag.Error, frag: "expected integer, got string"},
	{name: "routing not in the enum", src: withTail("routing: weigthed\n"),
		at: "12:10", sev: diag.Error, frag: `must be one of: weighted, round-robin, random (got "weigthed")`},
	{name: "policy action not in the enum", src: withTail("policies:\n  - name: p\n    when: errors > 0\n    action: explode\n"),
		at: "15:13", sev: diag.Error, frag: "must be one of: warn, fail, abort, disable_target"},
	{name: "apiVersion v2", src: strings.Replace(validBase, "trafficinator/v1", "trafficinator/v2", 1),
		at: "1:13", sev: diag.Error, frag: `must be "trafficinator/v1" (got "trafficinator/v2")`},
	{name: "currency in lower case", src: withTail("traffic:\n  features:\n    ecommerce:\n      currency: usd\n"),
		at: "15:17", sev: diag.Error, frag: `(got "usd")`},

	// --- unknown and missing fields ------------------------------------------
	{name: "unknown top-level field", src: withTail("trafic:\n  pageviews: {min: 1, max: 2}\n"),
		at: "12:1", sev: diag.Error, frag: `unknown field "trafic"`, hint: `did you mean "traffic"?`},
	{name: "unknown field in a flow mapping", src: withTargets("targets:\n  - {name: a, kind: sink, site_id: 1, wieght: 2}\n"),
		at: "9:39", sev: diag.Error, frag: `unknown field "wieght"`, hint: `did you mean "weight"?`},
	// Also reports the missing site_id at the item (9:5).
	{name: "misspelt required field", src: withTargets("targets:\n  - name: a\n    kind: sink\n    site_idd: 1\n"),
		at: "11:5", sev: diag.Error, frag: `unknown field "site_idd"`, hint: `did you mean "site_id"?`, count: 2},
	{name: "unknown field without a suggestion", src: withTail("colour: blue\n"),
		at: "12:1", sev: diag.Error, frag: `unknown field "colour"`},
	{name: "metadata without name", src: strings.Replace(validBase, "metadata:\n  name: t\n", "metadata: {}\n", 1),
		at: "3:1", sev: diag.Error, frag: `missing required field "name"`},
	{name: "metadata with a description but no name", src: strings.Replace(validBase, "  name: t\n", "  description: d\n", 1),
		at: "3:1", sev: diag.Error, frag: `missing required field "name"`},
	{name: "target without site_id", src: withTargets("targets:\n  - name: a\n    kind: sink\n"),
		at: "9:5", sev: diag.Error, frag: `missing required field "site_id"`},
	{name: "no targets at all", src: head + run1m,
		at: "1:1", sev: diag.Error, frag: `missing required field "targets"`},

	// --- interpolation ---------------------------------------------------------
	{name: "unset variable", src: withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: ${SITE_ID}\n"),
		at: "11:14", sev: diag.Error, frag: "variable SITE_ID is not set", hint: "${SITE_ID:-value}"},
	{name: "unset variable inside a string", src: withTargets("targets:\n  - name: a\n    url: https://${HOST}/matomo.php\n    site_id: 1\n"),
		at: "10:18", sev: diag.Error, frag: "variable HOST is not set"},
	{name: "required variable with message", src: withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    token_auth: ${TOKEN:?set the token first}\n"),
		at: "12:17", sev: diag.Error, frag: "variable TOKEN is not set: set the token first"},
	{name: "required variable set but empty", src: withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    token_auth: ${TOKEN:?}\n"),
		env: map[string]string{"TOKEN": ""},
		at:  "12:17", sev: diag.Error, frag: "variable TOKEN is not set: required"},
	{name: "unterminated variable", src: withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    token_auth: \"abc${TOKEN\"\n"),
		at: "12:21", sev: diag.Error, frag: "unterminated variable reference"},
	{name: "invalid variable name", src: withTargets("targets:\n  - name: ${1X}\n    kind: sink\n    site_id: 1\n"),
		at: "9:11", sev: diag.Error, frag: `invalid variable name "1X"`},
	{name: "invalid variable operator", src: withTargets("targets:\n  - name: x${A:x}\n    kind: sink\n    site_id: 1\n"),
		at: "9:12", sev: diag.Error, frag: "invalid variable reference ${A:x}"},
	{name: "unset variable in a literal block", src: withTail("traffic:\n  funnels:\n    - name: f\n      description: |\n        hello\n          ${NOPE} x\n      probability: 0.1\n      steps: [{type: pageview}]\n"),
		at: "17:11", sev: diag.Error, frag: "variable NOPE is not set"},

	// --- merge keys --------------------------------------------------------------
	// Both targets have the bad site_id; both point at the anchor's value.
	{name: "merged field keeps its position", src: withTargets("targets:\n  - &b\n    name: a\n    kind: sink\n    site_id: 0\n  - <<: *b\n    name: b\n"),
		at: "12:14", sev: diag.Error, frag: "must be at least 1 (got 0)", count: 2},

	// --- warnings that leave the file valid --------------------------------------
	{name: "no stop condition", src: withRun("run:\n  rate: 1/s\n"),
		at: "5:1", sev: diag.Warning, frag: "no stop condition"},
}

func TestLoadInvalid(t *testing.T) {
	if n := len(invalidCases); n < 40 {
		t.Fatalf("the table holds %d cases; the acceptance criteria ask for at least 40", n)
	}
	for _, tc := range invalidCases {
		t.Run(tc.name, func(t *testing.T) {
			r := load(t, tc.src, tc.env)
			want := "t.yaml:" + tc.at
			var found *diag.Diagnostic
			for i, d := range r.Diags {
				if fmt.Sprintf("%s:%d:%d", d.File, d.Line, d.Column) == want && d.Severity == tc.sev &&
					strings.Contains(d.Message, tc.frag) {
					found = &r.Diags[i]
				}
			}
			if found == nil {
				t.Fatalf("want %s: %s containing %q; got:%s", want, tc.sev, tc.frag, dump(r.Diags))
			}
			if tc.hint != "" && !strings.Contains(found.Hint, tc.hint) {
				t.Errorf("hint %q does not contain %q", found.Hint, tc.hint)
			}
			count := max(tc.count, 1)
			if len(r.Diags) != count {
				t.Errorf("want %d diagnostic(s), got %d:%s", count, len(r.Diags), dump(r.Diags))
			}
			if valid := tc.sev != diag.Error; r.Valid() != valid {
				t.Errorf("Valid() = %v, want %v", r.Valid(), valid)
			}
		})
	}
}

// tokenSink is a targets block (lines 8-12 after a run block of lines
// 5-7 at most) whose only target has a token, so backfill cases test the
// window and nothing else.
const tokenSink = "targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    token_auth: tok-1234\n"
