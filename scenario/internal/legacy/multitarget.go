package legacy

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/model"
	"github.com/trafficinator/trafficinator/schema"
)

// Fields of a MULTI_TARGET_CONFIG target and of the object around them
// (legacy spec §9.2, ADR-009).
var (
	multiTopFields    = []string{"targets", "distribution_strategy"}
	multiTargetFields = []string{"name", "url", "site_id", "token_auth", "weight", "enabled"}
	strategies        = []string{"round-robin", "weighted", "random"}
)

// multiTargets maps MULTI_TARGET_CONFIG, the JSON of the unreleased P-008
// branch: {"targets": [{name, url, site_id, token_auth?, weight=1,
// enabled=true}], "distribution_strategy": "round-robin"}.
func (m *migration) multiTargets(st *setting) {
	at := st.offsetPos
	root, err := parseJSON([]byte(st.value))
	if err != nil {
		je, _ := err.(*jsonError)
		m.errorAt(at(je.off), `MULTI_TARGET_CONFIG is {"targets": [...], "distribution_strategy": "weighted"}`, "MULTI_TARGET_CONFIG: %s", je.msg)
		return
	}
	m.collectTokens(root)
	m.unusedWithMulti()
	if root.kind != 'o' {
		m.errorAt(at(root.off), "", "MULTI_TARGET_CONFIG must be a JSON object with a \"targets\" list, not %s", root.describe())
		return
	}
	m.unknownMembers(root, multiTopFields, "MULTI_TARGET_CONFIG", func(off int) diag.Pos { return at(off) }, m.file)
	m.s.Routing = "round-robin"
	m.c.from("/routing", "MULTI_TARGET_CONFIG distribution_strategy not set: legacy default")
	if v := root.get("distribution_strategy"); v != nil {
		if v.kind != 's' || !contains(strategies, v.str) {
			m.errorAt(at(v.off), "use round-robin, weighted or random", "unknown distribution_strategy %s", v.describe())
		} else {
			m.s.Routing = v.str
			m.c.from("/routing", "MULTI_TARGET_CONFIG distribution_strategy")
		}
	}
	m.info(st, "/routing", "MULTI_TARGET_CONFIG comes from the unreleased P-008 branch, where each hit (not each visit) went to "+
		"the next target, spreading one visit over several sites; trafficinator keeps every hit of a visit on one target. "+
		"(The released image never ran that code: multi-target mode was always off there.)")
	tv := root.get("targets")
	if tv == nil || tv.kind != 'a' || len(tv.items) == 0 {
		off := root.off
		if tv != nil {
			off = tv.off
		}
		m.errorAt(at(off), "", `MULTI_TARGET_CONFIG needs a non-empty "targets" list`)
		return
	}
	seen := map[string]bool{}
	enabled := 0
	for i, it := range tv.items {
		t, ok := m.multiTarget(st, i, it)
		if !ok {
			continue
		}
		if seen[t.Name] {
			m.errorAt(at(it.get("name").off), "target names must be unique", "duplicate target name %q", t.Name)
			continue
		}
		seen[t.Name] = true
		if t.IsEnabled() {
			enabled++
		}
		m.s.Targets = append(m.s.Targets, t)
		m.targetPos = append(m.targetPos, at(it.off))
	}
	m.c.from("/targets", "from MULTI_TARGET_CONFIG")
	if enabled == 0 && len(m.s.Targets) == len(tv.items) {
		m.errorAt(at(tv.off), "set \"enabled\": true on at least one target", "every target of MULTI_TARGET_CONFIG is disabled")
	}
}

// multiTarget maps one target object; ok is false when it has an error.
func (m *migration) multiTarget(st *setting, i int, it *jsonValue) (model.Target, bool) {
	at := st.offsetPos
	p := targetPath(len(m.s.Targets))
	var t model.Target
	if it.kind != 'o' {
		m.errorAt(at(it.off), "", "MULTI_TARGET_CONFIG target %d must be an object, not %s", i+1, it.describe())
		return t, false
	}
	m.unknownMembers(it, multiTargetFields, "MULTI_TARGET_CONFIG target", func(off int) diag.Pos { return at(off) }, m.file)
	ok := true
	if v := it.get("name"); v == nil || v.kind != 's' || strings.TrimSpace(v.str) == "" {
		m.errorAt(at(it.off), "", "MULTI_TARGET_CONFIG target %d needs a \"name\"", i+1)
		ok = false
	} else {
		t.Name = v.str
	}
	if v := it.get("url"); v == nil || v.kind != 's' {
		m.errorAt(at(it.off), "", "MULTI_TARGET_CONFIG target %d needs a \"url\"", i+1)
		ok = false
	} else {
		t.URL = m.trackingURL(st, v.str, p+"/url", func(int) diag.Pos { return at(v.off) })
		ok = ok && t.URL != ""
		if t.URL != "" && !strings.HasSuffix(t.URL, "matomo.php") {
			if strings.HasSuffix(t.URL, "/piwik.php") {
				m.c.note(p+"/url", "The P-008 code would have appended /matomo.php to this piwik.php URL; it is kept as written.")
			} else {
				t.URL += "/matomo.php"
				m.c.note(p+"/url", "/matomo.php is appended, as the P-008 loader appended it to every target URL without it.")
			}
		}
		if t.URL != "" {
			name := m.targetVar("MATOMO_URL", t.Name)
			m.moveCredentials(&t, p, name, at(v.off), "set "+name+" to the full URL before validate, plan or apply")
		}
	}
	if v := it.get("site_id"); v == nil {
		m.errorAt(at(it.off), "", "MULTI_TARGET_CONFIG target %d needs a \"site_id\"", i+1)
		ok = false
	} else if id, good := v.int(); !good || id < 1 || id > maxInt32 || v.kind == 'b' {
		m.errorAt(at(v.off), "", "site_id %s is not a Matomo site id (a whole number from 1)", v.describe())
		ok = false
	} else {
		t.SiteID = int(id)
	}
	if v := it.get("token_auth"); v != nil && v.kind == 's' && v.str != "" {
		name := m.targetTokenVar(t.Name)
		t.TokenAuth = "${" + name + "}"
		m.env[name] = v.str
		m.c.from(p+"/token_auth", "MULTI_TARGET_CONFIG token_auth: set "+name+" in the environment")
		m.report(diag.Info, m.file, at(v.off), p+"/token_auth",
			fmt.Sprintf("the token of target %q is not written into the scenario: it reads it from %s, which must be set when the scenario runs", t.Name, name), "")
	} else if v != nil && v.kind != 'z' && !(v.kind == 's' && v.str == "") {
		m.errorAt(at(v.off), "", "token_auth of target %d must be a string", i+1)
		ok = false
	}
	m.targetEnabled(st, it, &t, p)
	m.targetWeight(st, it, &t, p)
	if ok && t.TokenAuth == "" {
		if g := m.vars[tokenVar]; g != nil && g.raw != "" && t.IsEnabled() {
			m.warn(g, p, "add token_auth: ${MATOMO_TOKEN_AUTH} to this target if that token is meant for its server",
				"target %q has no token of its own: the P-008 loader sent it MATOMO_TOKEN_AUTH instead, the scenario sends it none", t.Name)
		}
	}
	return t, ok
}

func (m *migration) targetEnabled(st *setting, it *jsonValue, t *model.Target, p string) {
	v := it.get("enabled")
	if v == nil {
		return
	}
	on := v.truthy()
	t.Enabled = &on
	if v.kind != 'b' {
		m.report(diag.Warning, m.file, st.offsetPos(v.off), p+"/enabled",
			fmt.Sprintf("target %q has \"enabled\": %s, which the legacy code read as %t (Python truthiness); so does the scenario", t.Name, v.describe(), on),
			"write true or false")
	}
}

// targetWeight keeps the weight, which must be > 0 in the scenario; the
// weighted strategy of the legacy router refused weights below 1.
func (m *migration) targetWeight(st *setting, it *jsonValue, t *model.Target, p string) {
	v := it.get("weight")
	if v == nil {
		return
	}
	w, ok := v.float()
	switch {
	case !ok || v.kind == 'b':
		m.errorAt(st.offsetPos(v.off), "", "weight %s is not a number", v.describe())
	case m.s.Routing == "weighted" && w < 1 && t.IsEnabled():
		m.errorAt(st.offsetPos(v.off), "use a weight of at least 1, or \"enabled\": false",
			"weight %s is below 1, which the legacy weighted router refused", fmtNum(w))
	case w <= 0:
		m.c.note(p, "The weight "+fmtNum(w)+" is left out: "+m.s.Routing+" routing ignores weights, and the scenario needs them above 0.")
	default:
		t.Weight = &w
	}
}

// targetTokenVar names the variable a target's token is read from:
// MATOMO_TOKEN_AUTH_<NAME>, unique within the scenario.
func (m *migration) targetTokenVar(target string) string { return m.targetVar(tokenVar, target) }

// targetVar names a variable of a target: PREFIX_<NAME>, unique within the
// scenario.
func (m *migration) targetVar(prefix, target string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(target) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	base := prefix + "_" + strings.Trim(b.String(), "_")
	if strings.HasSuffix(base, "_") {
		base += "TARGET"
	}
	name := base
	for n := 2; m.tokenVars[name]; n++ {
		name = base + "_" + strconv.Itoa(n)
	}
	if m.tokenVars == nil {
		m.tokenVars = map[string]bool{}
	}
	m.tokenVars[name] = true
	return name
}

// collectTokens marks every token_auth string of the JSON as a secret
// before anything about it is reported.
func (m *migration) collectTokens(v *jsonValue) {
	for _, mem := range v.members {
		if mem.name == "token_auth" && mem.val.kind == 's' {
			m.addSecret(mem.val.str)
		}
		m.collectTokens(mem.val)
	}
	for _, it := range v.items {
		m.collectTokens(it)
	}
}

// unusedWithMulti says which single-target variables MULTI_TARGET_CONFIG
// replaces.
func (m *migration) unusedWithMulti() {
	for _, key := range []string{"MATOMO_URL", "MATOMO_SITE_ID"} {
		if st := m.get(key); st != nil {
			m.info(st, "", "%s is not used: MULTI_TARGET_CONFIG defines the targets (as on the P-008 branch)", key)
			m.drop("%s (line %d): replaced by the targets of MULTI_TARGET_CONFIG.", key, st.line)
		}
	}
	m.get(tokenVar) // read per target, for the token it leaked to targets without one
}

// unknownMembers warns about keys of a JSON object outside known, with a
// "did you mean"; the legacy code ignored them.
func (m *migration) unknownMembers(v *jsonValue, known []string, what string, at func(int) diag.Pos, file string) {
	for _, mem := range v.members {
		if contains(known, mem.name) {
			continue
		}
		hint := ""
		if s := schema.Suggest(mem.name, known); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		m.report(diag.Warning, file, at(mem.off), "", fmt.Sprintf("unknown %s field %q is ignored", what, clipRunes(mem.name, 40)), hint)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
