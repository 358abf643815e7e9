package legacy

import (
	"fmt"
	"strings"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/model"
	"github.com/trafficinator/trafficinator/scenario/internal/urlfile"
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
	t.URLs = &model.URLSource{Builtin: true}
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
		t.URLs = &model.URLSource{File: m.outPath(path)}
	}
}

// checkURLFile checks a URL list with the reader the scenario uses
// (scenario/urlfile), so that a list that migrates also validates and
// runs: one absolute http(s) URL per line, an optional title after a TAB
// or two spaces, blank lines and # comments skipped. The legacy loader
// took the first word of each line without checking it, so a bad line here
// is an error rather than a visit that fails at run time. Every bad line is
// reported (up to maxFileErrors), at its line and column, never quoted.
func (m *migration) checkURLFile(path string, data []byte) bool {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	urls, errs := 0, 0
	for i, raw := range lines {
		if i == 0 {
			raw = strings.TrimPrefix(raw, "\uFEFF")
		}
		ok, col, err := urlfile.CheckLine(raw)
		switch {
		case err != nil:
			errs++
			if errs <= maxFileErrors {
				m.report(diag.Error, path, diag.Pos{Line: i + 1, Column: col}, "", err.Error(), urlLineHint(raw))
			}
		case ok:
			urls++
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

// urlLineHint says how the legacy tool read a line that is refused.
func urlLineHint(line string) string {
	if strings.ContainsAny(strings.TrimSpace(line), " \t") {
		return "the legacy loader split at any space; a title follows a TAB or two spaces, and a space inside a URL is written %20"
	}
	return "each line is an absolute URL such as https://example.com/page"
}
