package legacy

import (
	"slices"
	"strings"
)

// keyInfo describes one variable of the legacy tool: where it goes in v1
// and, for variables that have no v1 equivalent, why it is dropped.
type keyInfo struct {
	Name string
	// Field is the v1 field it maps to ("" when it is not migrated).
	Field string
	// Ignored explains why a variable is not migrated; set only for
	// variables of the Control UI, Docker and the loader's start-up
	// handshake, which have no meaning for trafficinator.
	Ignored string
}

// keys lists every variable of legacy spec §1 (env-vars.tsv), in the order
// of that table. docs/migration.md has the same table for people; a test
// keeps the two in step.
var keys = []keyInfo{
	{Name: "MATOMO_URL", Field: "targets[0].url"},
	{Name: "MATOMO_SITE_ID", Field: "targets[0].site_id"},
	{Name: "MATOMO_TOKEN_AUTH", Field: "targets[0].token_auth"},
	{Name: "URLS_FILE", Field: "traffic.urls"},
	{Name: "FUNNEL_CONFIG_PATH", Field: "traffic.funnels"},
	{Name: "TARGET_VISITS_PER_DAY", Field: "run.rate"},
	{Name: "PAGEVIEWS_MIN", Field: "traffic.pageviews.min"},
	{Name: "PAGEVIEWS_MAX", Field: "traffic.pageviews.max"},
	{Name: "CONCURRENCY", Field: "run.concurrency"},
	{Name: "PAUSE_BETWEEN_PVS_MIN", Field: "traffic.pause.min"},
	{Name: "PAUSE_BETWEEN_PVS_MAX", Field: "traffic.pause.max"},
	{Name: "AUTO_STOP_AFTER_HOURS", Field: "run.duration"},
	{Name: "MAX_TOTAL_VISITS", Field: "run.daily_cap"},
	{Name: "SITESEARCH_PROBABILITY", Field: "traffic.features.site_search.probability"},
	{Name: "OUTLINKS_PROBABILITY", Field: "traffic.features.outlinks.probability"},
	{Name: "DOWNLOADS_PROBABILITY", Field: "traffic.features.downloads.probability"},
	{Name: "CLICK_EVENTS_PROBABILITY", Field: "traffic.features.click_events.probability"},
	{Name: "RANDOM_EVENTS_PROBABILITY", Field: "traffic.features.random_events.probability"},
	{Name: "DIRECT_TRAFFIC_PROBABILITY", Field: "traffic.sources"},
	{Name: "RANDOMIZE_VISITOR_COUNTRIES", Field: "traffic.features.geo"},
	{Name: "ECOMMERCE_PROBABILITY", Field: "traffic.features.ecommerce.probability"},
	{Name: "ECOMMERCE_ORDER_VALUE_MIN", Field: "traffic.features.ecommerce.order_value.min"},
	{Name: "ECOMMERCE_ORDER_VALUE_MAX", Field: "traffic.features.ecommerce.order_value.max"},
	{Name: "ECOMMERCE_ITEMS_MIN", Field: "traffic.features.ecommerce.items.min"},
	{Name: "ECOMMERCE_ITEMS_MAX", Field: "traffic.features.ecommerce.items.max"},
	{Name: "ECOMMERCE_TAX_RATE", Field: "traffic.features.ecommerce.tax_rate"},
	{Name: "ECOMMERCE_SHIPPING_RATES", Field: "traffic.features.ecommerce.shipping"},
	{Name: "ECOMMERCE_CURRENCY", Field: "traffic.features.ecommerce.currency"},
	{Name: "TIMEZONE", Field: "run.timezone"},
	{Name: "VISIT_DURATION_MIN", Field: "traffic.visit_duration.min"},
	{Name: "VISIT_DURATION_MAX", Field: "traffic.visit_duration.max"},
	{Name: "LOG_LEVEL", Ignored: "it had no effect in the legacy loader (defect B2: logging was configured before it was read)"},
	{Name: "AUTO_START", Ignored: "the loader's start-signal handshake with the Control UI; trafficinator starts when it is run"},
	{Name: "START_SIGNAL_FILE", Ignored: "the loader's start-signal handshake with the Control UI; trafficinator starts when it is run"},
	{Name: "START_CHECK_INTERVAL", Ignored: "the loader's start-signal handshake with the Control UI; trafficinator starts when it is run"},
	{Name: "BACKFILL_ENABLED", Field: "run.mode"},
	{Name: "BACKFILL_START_DATE", Field: "run.backfill.from"},
	{Name: "BACKFILL_END_DATE", Field: "run.backfill.to"},
	{Name: "BACKFILL_DAYS_BACK", Field: "run.backfill.offset_days"},
	{Name: "BACKFILL_DURATION_DAYS", Field: "run.backfill.last_days"},
	{Name: "BACKFILL_MAX_VISITS_PER_DAY", Field: "run.backfill.visits_per_day"},
	{Name: "BACKFILL_MAX_VISITS_TOTAL", Field: "run.backfill.max_visits"},
	{Name: "BACKFILL_RPS_LIMIT", Field: "run.backfill.rps"},
	{Name: "BACKFILL_SEED", Field: "run.seed"},
	{Name: "BACKFILL_RUN_ONCE", Ignored: "the container idled after a backfill (true) or exited and replayed it on restart (false); trafficinator runs the window once and exits"},
	{Name: "CONTROL_UI_API_KEY", Ignored: "a setting of the Control UI, which trafficinator does not have"},
	{Name: "CORS_ORIGINS", Ignored: "a setting of the Control UI, which trafficinator does not have"},
	{Name: "CONFIG_DB_PATH", Ignored: "a setting of the Control UI, which trafficinator does not have"},
	{Name: "BACKFILL_HISTORY_PATH", Ignored: "a setting of the Control UI, which trafficinator does not have"},
	{Name: "BACKFILL_CONTAINER_PREFIX", Ignored: "a setting of the Control UI, which trafficinator does not have"},
	{Name: "CONTROL_UI_PORT", Ignored: "a setting of docker compose for the Control UI"},
	{Name: "DOCKER_HOST", Ignored: "a setting of Docker for the Control UI"},
	{Name: "API_KEY", Ignored: "a setting of the Control UI's test script"},
	{Name: "MULTI_TARGET_CONFIG", Field: "targets, routing"},
}

// secretKeys hold values that are never shown: in diagnostics, comments or
// the quoted source lines of the renderers.
var secretKeys = []string{"MATOMO_TOKEN_AUTH", "CONTROL_UI_API_KEY", "API_KEY"}

var keyIndex = func() map[string]*keyInfo {
	m := make(map[string]*keyInfo, len(keys))
	for i := range keys {
		m[keys[i].Name] = &keys[i]
	}
	return m
}()

func keyNames() []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.Name
	}
	return out
}

// ignoredReason says why a key is dropped: a known ignored key, or any
// CONTROL_UI_* variable.
func ignoredReason(name string) (string, bool) {
	if k, ok := keyIndex[name]; ok && k.Ignored != "" {
		return k.Ignored, true
	}
	if strings.HasPrefix(name, "CONTROL_UI_") {
		return "a setting of the Control UI, which trafficinator does not have", true
	}
	return "", false
}

func isSecretKey(name string) bool {
	return slices.Contains(secretKeys, name) || strings.HasPrefix(name, "CONTROL_UI_") && strings.Contains(name, "KEY")
}
