package legacy

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/scenario/diag"
)

// imageURLList is the URL list baked into the legacy image; it is the
// built-in site map of trafficinator.
const imageURLList = "/config/urls.txt"

// maxFileErrors bounds the errors reported for one side file.
const maxFileErrors = 20

// buildURLs maps URLS_FILE (or --urls). Without one the legacy loader used
// /app/data/urls.txt or /config/urls.txt, the 22,000 example.test pages
// that are trafficinator's built-in site map.
func (m *migration) buildURLs() {
	const p = "/traffic/urls"
	t := &m.s.Traffic
	t.URLs = &scenario.URLSource{Builtin: true}
	st := m.get("URLS_FILE")
	var path string
	switch {
	case m.opts.URLsFile != "":
		path = m.opts.URLsFile
		m.c.from(p, "--urls "+m.opts.URLsFile)
	case st.set():
		path = m.sidePath(strings.TrimSpace(st.value))
		m.c.from(p, source(st, "URLS_FILE"))
	default:
		m.c.from(p, "URLS_FILE not set: the legacy image's /config/urls.txt, which is the built-in site map")
		return
	}
	data, err := m.readURLFile(path)
	switch {
	case err != nil && notExist(err) && st != nil && m.opts.URLsFile == "" && strings.TrimSpace(st.value) == imageURLList:
		m.info(st, p, "URLS_FILE=%s is the list inside the legacy image: the built-in site map holds the same pages", imageURLList)
		return
	case err != nil && notExist(err):
		msg := fmt.Sprintf("the URL file %s does not exist: the legacy loader then fell back to its built-in list, and so does the scenario (urls: builtin)", path)
		if st != nil && m.opts.URLsFile == "" {
			m.warn(st, p, "pass --urls FILE with a copy of the list", "%s", msg)
		} else {
			m.report(diag.Error, path, diag.Pos{}, "", "cannot read the URL file: "+errText(err), "")
		}
		return
	case err != nil:
		m.report(diag.Error, path, diag.Pos{}, "", "cannot read the URL file: "+errText(err), "")
		return
	}
	// The list is not kept as a source: its diagnostics give line and
	// column, but never quote a line of what may be a mistaken path to a
	// secret.
	if m.checkURLFile(path, data) {
		t.URLs = &scenario.URLSource{File: m.outPath(path)}
	}
}

// checkURLFile checks a URL list as trafficinator will read it: one
// absolute http(s) URL per line, an optional title after a TAB or two
// spaces, blank lines and # comments skipped. The legacy loader took the
// first word of each line without checking it, so a bad line here is an
// error rather than a visit that fails at run time.
func (m *migration) checkURLFile(path string, data []byte) bool {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	urls, errs := 0, 0
	for i, raw := range lines {
		if i == 0 {
			raw = strings.TrimPrefix(raw, "\uFEFF")
		}
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		col := strings.Index(raw, line) + 1
		msg, hint := urlLineProblem(line)
		if msg == "" {
			urls++
			continue
		}
		errs++
		if errs <= maxFileErrors {
			m.report(diag.Error, path, diag.Pos{Line: i + 1, Column: col}, "", msg, hint)
		}
	}
	if errs > maxFileErrors {
		m.report(diag.Error, path, diag.Pos{}, "", fmt.Sprintf("%d more lines have errors", errs-maxFileErrors), "")
	}
	if urls == 0 && errs == 0 {
		m.report(diag.Error, path, diag.Pos{}, "", "the URL file has no URLs (the legacy loader stopped on it)", "")
	}
	return errs == 0 && urls > 0
}

// urlLineProblem checks one line the way trafficinator's URL file reader
// does (runner/catalog), so that a list that migrates also runs.
func urlLineProblem(line string) (msg, hint string) {
	if !utf8.ValidString(line) {
		return "the line is not valid UTF-8", ""
	}
	u := line
	if i := strings.IndexAny(line, " \t"); i >= 0 {
		u = line[:i]
		if title := line[i:]; !strings.HasPrefix(title, "\t") && !strings.HasPrefix(title, "  ") {
			return "a title after the URL must follow a TAB or two spaces",
				"the legacy loader split at any space; a space inside a URL is written %20"
		}
	}
	p, err := url.Parse(u)
	switch {
	case err != nil || p.Opaque != "" || !strings.EqualFold(p.Scheme, "http") && !strings.EqualFold(p.Scheme, "https"):
		return "not an http(s) URL", "each line is an absolute URL such as https://example.com/page"
	case p.Host == "":
		return "the URL has no host", ""
	case utf8.RuneCountInString(u) > maxURLChars:
		return fmt.Sprintf("the URL has %d characters; Matomo keeps only %d", utf8.RuneCountInString(u), maxURLChars), ""
	}
	return "", ""
}

// maxURLChars is the longest URL Matomo records whole.
const maxURLChars = 1024
