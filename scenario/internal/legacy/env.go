package legacy

import (
	"fmt"
	"strings"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/dotenv"
	"github.com/trafficinator/trafficinator/schema"
)

// setting is one assignment of the .env file.
type setting struct {
	key   string
	raw   string // as written, quotes removed
	value string // after ${VAR} expansion
	line  int
	// keyCol and valCol are 1-based byte columns; valCol is that of the
	// opening quote of a quoted value.
	keyCol, valCol int
	quote          byte   // 0, '\'' or '"'
	used           bool   // read by a builder
	text           string // the line(s) the assignment stands on
}

func (st *setting) keyPos() diag.Pos   { return diag.Pos{Line: st.line, Column: st.keyCol} }
func (st *setting) valuePos() diag.Pos { return diag.Pos{Line: st.line, Column: st.valCol} }

// set reports whether the variable has a non-empty value; the loader
// tested several variables for truthiness, so empty counts as unset there.
func (st *setting) set() bool { return st != nil && strings.TrimSpace(st.value) != "" }

// offsetPos is the position of byte off of the value, when the value
// stands verbatim on its line(s); otherwise the value's own position.
func (st *setting) offsetPos(off int) diag.Pos {
	start := st.valCol - 1
	if st.quote != 0 {
		start++
	}
	if st.raw != st.value || st.quote == '"' && strings.Contains(st.raw, `\`) ||
		start < 0 || start > len(st.text) || !strings.HasPrefix(st.text[start:], st.value) || off < 0 || off > len(st.value) {
		return st.valuePos()
	}
	before := st.value[:off]
	nl := strings.Count(before, "\n")
	if nl == 0 {
		return diag.Pos{Line: st.line, Column: start + off + 1}
	}
	return diag.Pos{Line: st.line + nl, Column: off - strings.LastIndexByte(before, '\n')}
}

// readEnv parses the .env file, expands ${VAR} references in file order,
// warns about duplicates, and sorts keys into known, ignored and unknown.
func (m *migration) readEnv() {
	f, diags := dotenv.Parse(m.file, m.data)
	m.diags = append(m.diags, diags...)
	lines := strings.Split(strings.ReplaceAll(string(m.data), "\r\n", "\n"), "\n")
	expanded := map[string]string{}
	for _, e := range f.Entries {
		st := &setting{key: e.Key, raw: e.Value, value: e.Value, line: e.Line, keyCol: e.KeyCol, valCol: e.ValueCol}
		// A quoted value may run over several lines: keep them all.
		last := min(e.Line+strings.Count(e.Value, "\n"), len(lines))
		st.text = strings.Join(lines[e.Line-1:last], "\n")
		if c := e.ValueCol - 1; c >= 0 && c < len(st.text) && (st.text[c] == '"' || st.text[c] == '\'') {
			st.quote = st.text[c]
		}
		if e.Expand {
			st.value = m.expand(st, expanded)
		}
		expanded[e.Key] = st.value
		if prev := m.vars[e.Key]; prev != nil {
			m.report(diag.Warning, m.file, st.keyPos(), "",
				fmt.Sprintf("%s is set again (also on line %d); the last value wins, as in the legacy tool", e.Key, prev.line),
				"remove one of the two lines")
		}
		if isSecretKey(e.Key) {
			// A reference such as ${MATOMO_TOKEN_AUTH} is no secret; what
			// it expands to is.
			if st.raw == st.value {
				m.addSecret(st.raw)
			}
			m.addSecret(st.value)
		}
		m.vars[e.Key] = st
		m.order = append(m.order, st)
	}
	m.classifyKeys()
}

// expand resolves references to the keys above st, then to the
// environment, and warns about references that resolve to nothing (a
// reference with a default, ${VAR:-x}, does not). A
// token may refer to a variable set only at run time: the scenario refers
// to the token by name anyway, so that is no reason for a warning.
func (m *migration) expand(st *setting, above map[string]string) string {
	out, missing := dotenv.ExpandUnset(st.raw, func(name string) (string, bool) {
		if v, ok := above[name]; ok {
			return v, true
		}
		v, ok := m.opts.lookup(name)
		if ok && v != "" {
			m.addSecret(v) // values from the environment are never shown
		}
		return v, ok
	})
	if len(missing) > 0 && !isSecretKey(st.key) {
		m.report(diag.Warning, m.file, st.valuePos(), "",
			fmt.Sprintf("%s refers to %s, which is not set: it expands to an empty string", st.key, strings.Join(missing, ", ")),
			"set it in the environment, or write the value itself")
	}
	return out
}

func (m *migration) addSecret(s string) {
	if len(strings.TrimSpace(s)) >= diag.MinSecretLen {
		m.secrets = append(m.secrets, s)
	}
}

// classifyKeys reports the keys that are not migrated: the settings of
// other components (info) and unknown names (a warning with a "did you
// mean").
func (m *migration) classifyKeys() {
	for _, st := range m.order {
		if m.vars[st.key] != st {
			continue // an earlier duplicate: reported once, at the last
		}
		if reason, ok := ignoredReason(st.key); ok {
			st.used = true
			if st.key == "LOG_LEVEL" || st.key == "AUTO_START" || st.key == "BACKFILL_RUN_ONCE" {
				continue // these have notes of their own (quirks.go)
			}
			m.report(diag.Info, m.file, st.keyPos(), "", fmt.Sprintf("%s is ignored: %s", st.key, reason), "")
			m.drop("%s (line %d): %s.", st.key, st.line, reason)
			continue
		}
		if _, known := keyIndex[st.key]; known {
			continue
		}
		st.used = true
		hint := ""
		// The case hint first: Suggest ignores case, so it would offer the
		// upper-case name without saying why.
		if _, ok := keyIndex[strings.ToUpper(st.key)]; ok {
			hint = fmt.Sprintf("did you mean %s? legacy variable names are upper case", strings.ToUpper(st.key))
		} else if s := schema.Suggest(st.key, keyNames()); s != "" {
			hint = fmt.Sprintf("did you mean %s?", s)
		}
		m.report(diag.Warning, m.file, st.keyPos(), "", fmt.Sprintf("unknown legacy variable %s is ignored", st.key), hint)
		m.drop("%s (line %d): not a variable of the legacy tool.", st.key, st.line)
	}
}

// get returns the last assignment of key, or nil, and marks it used.
func (m *migration) get(key string) *setting {
	st := m.vars[key]
	if st != nil {
		st.used = true
	}
	return st
}

// checkUnused catches a known key that no builder read, so that a setting
// is never lost in silence (a builder that forgets one is a defect).
func (m *migration) checkUnused() {
	for _, st := range m.order {
		if m.vars[st.key] == st && !st.used {
			m.report(diag.Warning, m.file, st.keyPos(), "", fmt.Sprintf("%s is not migrated", st.key), "")
			m.drop("%s (line %d): not migrated.", st.key, st.line)
		}
	}
}
