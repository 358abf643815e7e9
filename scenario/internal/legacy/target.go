package legacy

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/model"
)

// tokenVar is the variable the migrated scenario reads the token from.
const tokenVar = "MATOMO_TOKEN_AUTH"

func (m *migration) buildTargets() {
	if mt := m.get("MULTI_TARGET_CONFIG"); mt != nil {
		if mt.set() {
			m.multiTargets(mt)
			return
		}
		m.info(mt, "", "MULTI_TARGET_CONFIG is empty: the single target of MATOMO_URL is used, as in the legacy tool")
	}
	m.singleTarget()
}

func (m *migration) singleTarget() {
	t := model.Target{Name: "matomo"}
	const p = "/targets/0"
	if st := m.get("MATOMO_URL"); st == nil {
		m.report(diag.Error, m.file, diag.Pos{}, "", "MATOMO_URL is not set: the scenario needs the Matomo tracking endpoint",
			"add MATOMO_URL=https://HOST/matomo.php (the legacy default, https://matomo.example.com/matomo.php, is a placeholder)")
	} else {
		t.URL = m.trackingURL(st, st.value, p+"/url", func(int) diag.Pos { return st.valuePos() })
		m.c.from(p+"/url", source(st, "MATOMO_URL"))
		if t.URL != "" && !hasTrackerPath(t.URL) {
			m.warn(st, p+"/url", "the tracking endpoint is usually https://HOST/matomo.php",
				"MATOMO_URL does not end in /matomo.php or /piwik.php; the legacy loader sent its hits there as written, and so does the scenario")
		}
		m.moveCredentials(&t, p, "MATOMO_URL", st.valuePos(),
			"the .env file defines it: pass it with --env-file, or set MATOMO_URL in the environment")
	}
	id, st, _ := m.number(num{key: "MATOMO_SITE_ID", def: 1, integer: true, lo: 1, hi: maxInt32, vlo: 1, vhi: maxInt32,
		why: "a Matomo site id is a whole number from 1"})
	t.SiteID = int(id)
	m.c.from(p+"/site_id", source(st, "MATOMO_SITE_ID"))
	if st == nil {
		m.fileNote(diag.Warning, p+"/site_id", "MATOMO_SITE_ID is not set: the legacy loader used site 1, and so does the scenario (its validator required the variable)")
	}
	if tok := m.get(tokenVar); tok != nil && tok.raw != "" {
		t.TokenAuth = "${" + tokenVar + "}"
		if tok.value != "" {
			m.env[tokenVar] = tok.value
		}
		m.c.from(p+"/token_auth", "MATOMO_TOKEN_AUTH: set it in the environment, or pass the .env file with --env-file")
	} else if tok != nil {
		m.c.note(p, "No token_auth: MATOMO_TOKEN_AUTH is empty.")
	} else {
		m.c.note(p, "No token_auth: MATOMO_TOKEN_AUTH is not set.")
	}
	m.s.Targets = []model.Target{t}
}

// trackingURL checks a tracking endpoint the way the legacy validator did
// (http or https, with a host) and strips trailing slashes as the loader
// did. at maps an offset in raw to a position for errors.
func (m *migration) trackingURL(st *setting, raw, path string, at func(off int) diag.Pos) string {
	s := strings.TrimSpace(raw)
	// Error messages below may quote the URL: its credentials are secrets.
	userinfo, password := diag.URLCredentials(s)
	m.addSecret(userinfo)
	m.addSecret(password)
	u, err := url.Parse(s)
	var msg, hint string
	switch {
	case s == "":
		msg = st.key + " is empty: the scenario needs the Matomo tracking endpoint"
	case err != nil:
		msg = "invalid URL: " + strings.TrimPrefix(err.Error(), "parse ")
	case u.Scheme != "http" && u.Scheme != "https":
		msg, hint = "the tracking URL must start with http:// or https://", "write the full URL, e.g. https://matomo.example.com/matomo.php"
		if u.Scheme != "" {
			msg = "the tracking URL scheme must be http or https, not " + clip(u.Scheme)
		}
	case u.Host == "":
		msg = "the tracking URL has no host"
	}
	if msg != "" {
		m.report(diag.Error, m.file, at(0), "", msg, hint)
		return ""
	}
	trimmed := strings.TrimRight(s, "/")
	if trimmed != s {
		m.c.note(path, "The trailing / of the legacy URL is dropped, as the legacy loader dropped it.")
	}
	return trimmed
}

// moveCredentials keeps the user name and password of a tracking URL
// (https://user:pass@host/matomo.php) out of the scenario, which is meant
// to be committed: the target reads its whole URL from the variable name,
// as a token is read from MATOMO_TOKEN_AUTH. A .env file run directly
// supplies it in memory.
func (m *migration) moveCredentials(t *model.Target, p, name string, at diag.Pos, where string) {
	if userinfo, _ := diag.URLCredentials(t.URL); userinfo == "" {
		return
	}
	m.env[name] = t.URL
	t.URL = "${" + name + "}"
	m.c.from(p+"/url", name+": the URL holds credentials, so it is read from the environment")
	m.report(diag.Warning, m.file, at, p+"/url",
		fmt.Sprintf("the tracking URL of target %q holds credentials: they are not written into the scenario, which reads the URL from %s", t.Name, name),
		where)
}

func hasTrackerPath(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (strings.HasSuffix(p.Path, "/matomo.php") || strings.HasSuffix(p.Path, "/piwik.php"))
}

// checkBackfillTokens runs once the mode is known: backfill needs a token on every
// enabled target (Matomo answers 400 to a cdt older than 24 hours without
// one), so a target without one reads it from the environment and the
// user is told to set it.
func (m *migration) checkBackfillTokens(enabled *setting) {
	for i := range m.s.Targets {
		t := &m.s.Targets[i]
		if t.TokenAuth != "" || !t.IsEnabled() {
			continue
		}
		name := tokenVar
		if len(m.s.Targets) > 1 {
			name = m.targetTokenVar(t.Name)
		}
		t.TokenAuth = "${" + name + "}"
		m.warn(enabled, targetPath(i), "set "+name+" before validate, plan or apply",
			"target %q has no token, which a backfill needs: Matomo refuses a cdt older than 24 hours without one, so the legacy "+
				"backfill's hits were refused (HTTP 400); the scenario reads the token from %s", t.Name, name)
	}
}

func targetPath(i int) string { return "/targets/" + strconv.Itoa(i) }
