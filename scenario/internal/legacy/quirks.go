package legacy

import (
	"path/filepath"
	"strings"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// generalDifferences are the legacy defects that no setting controls and
// that trafficinator fixes whatever the file says (docs/migration.md has
// the whole list of section 11 with what the migration does about each).
const generalDifferences = "Whatever the settings, trafficinator differs from the legacy tool in these ways (legacy defects 3, 4, 5, 6, " +
	"10, 13 and 20): it checks every HTTP answer and counts refused and failed hits; it verifies TLS certificates (set " +
	"insecure_skip_verify: true on a target with a self-signed one) and gives up on a request after 10s; it sends token_auth " +
	"in the POST body, never in a URL; it sends every action a visit draws instead of dropping the ones that collide on a page; " +
	"its order ids never repeat; its final ping carries rand; and it stops on a signal with a report."

// generalNotes adds the notes that belong to the whole file: start-up and
// logging settings, the differences no setting controls, and the header.
func (m *migration) generalNotes() {
	if st := m.get("LOG_LEVEL"); st != nil {
		m.info(st, "", "LOG_LEVEL is ignored: it had no effect in the legacy loader (defect B2: logging was set up before it was read, "+
			"so only warnings ever showed); trafficinator prints progress on stderr and a report at the end")
		m.drop("LOG_LEVEL (line %d): it had no effect in the legacy loader (defect B2).", st.line)
	}
	if st := m.get("AUTO_START"); st != nil {
		reason, _ := ignoredReason("AUTO_START")
		if autoStart(st.value) {
			m.info(st, "", "AUTO_START is ignored: %s", reason)
		} else {
			m.info(st, "", "AUTO_START is ignored: with %s the legacy loader waited for its start-signal file before sending; trafficinator starts when it is run", clip(st.value))
		}
		m.drop("AUTO_START (line %d): %s.", st.line, reason)
	}
	m.report(diag.Info, m.file, diag.Pos{}, "", generalDifferences, "see docs/migration.md for every legacy defect and what the migration does about it")
	m.header()
}

// autoStart is how the loader read AUTO_START: on for 1, true, yes, on, y.
func autoStart(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "on", "y":
		return true
	}
	return false
}

// header writes the comment block after the modeline.
func (m *migration) header() {
	h := &m.c.header
	add := func(text, first, rest string) {
		*h = append(*h, wrap(text, first, rest, commentWidth-2)...)
	}
	add("Migrated by `trafficinator migrate` from the legacy Trafficinator file "+filepath.Base(m.file)+". "+
		"The comment beside a value names the legacy variable it comes from; \"legacy default\" marks a value the file did not set, "+
		"taken from the legacy loader (which wins where the legacy documentation said otherwise). Notes say where the scenario "+
		"behaves differently from the legacy tool; docs/migration.md explains every difference.", "", "")
	*h = append(*h, "")
	add(generalDifferences, "", "")
	if len(m.dropped) > 0 {
		*h = append(*h, "", "Not migrated:")
		for _, d := range m.dropped {
			add(d, "  - ", "    ")
		}
	}
}
