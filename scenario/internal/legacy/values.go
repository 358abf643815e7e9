package legacy

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// num describes a numeric legacy variable.
type num struct {
	key     string
	def     float64
	integer bool
	// lo..hi is what the scenario can take: outside it is an error.
	lo, hi float64
	// vlo..vhi is what the legacy validator accepted: outside it (but
	// within lo..hi) the legacy loader still ran, so it is a warning.
	vlo, vhi float64
	// why explains lo..hi in the error, e.g. "a probability is between 0
	// and 1"; empty gives a generic text.
	why string
}

// number returns the value of a numeric variable: def when it is unset,
// the setting (nil when unset), and false when the value is bad, which is
// reported as an error at the value.
func (m *migration) number(n num) (float64, *setting, bool) {
	st := m.get(n.key)
	if st == nil {
		return n.def, nil, true
	}
	v, ok := m.parseNumber(st, n.integer)
	if !ok {
		return n.def, st, false
	}
	if v < n.lo || v > n.hi {
		why := n.why
		if why == "" {
			why = "it must be " + rangeText(n.lo, n.hi)
		}
		m.errorf(st, "", "%s=%s is out of range: %s", n.key, clip(st.value), why)
		return n.def, st, false
	}
	if v < n.vlo || v > n.vhi {
		m.warn(st, "", "", "%s=%s is outside what the legacy validator accepted (%s); the legacy loader ran with it, and so does the scenario",
			n.key, clip(st.value), rangeText(n.vlo, n.vhi))
	}
	return v, st, true
}

func rangeText(lo, hi float64) string {
	switch {
	case math.IsInf(hi, 1):
		return "at least " + fmtNum(lo)
	case math.IsInf(lo, -1):
		return "at most " + fmtNum(hi)
	}
	return fmtNum(lo) + " to " + fmtNum(hi)
}

// parseNumber reads a value as Python's int() or float() did.
func (m *migration) parseNumber(st *setting, integer bool) (float64, bool) {
	s := strings.TrimSpace(st.value)
	switch s {
	case "":
		m.errorf(st, "remove the line to use the legacy default, or write a number",
			"%s is empty: the legacy loader stopped at start-up on an empty number", st.key)
		return 0, false
	case "None":
		m.errorf(st, "the legacy Control UI wrote None for a field left empty; remove the line to use the default",
			"%s=None is not a number", st.key)
		return 0, false
	}
	if integer {
		v, err := pyInt(s)
		if err != nil {
			m.errorf(st, "", "%s=%s is not a whole number", st.key, clip(st.value))
			return 0, false
		}
		return float64(v), true
	}
	v, err := pyFloat(s)
	if err != nil {
		m.errorf(st, "", "%s=%s is not a number", st.key, clip(st.value))
		return 0, false
	}
	return v, true
}

var (
	pyIntRe   = regexp.MustCompile(`^[+-]?[0-9](_?[0-9])*$`)
	pyFloatRe = regexp.MustCompile(`^[+-]?([0-9](_?[0-9])*(\.([0-9](_?[0-9])*)?)?|\.[0-9](_?[0-9])*)([eE][+-]?[0-9](_?[0-9])*)?$`)
)

// pyInt parses what Python's int() accepts in base 10: a sign, digits and
// single underscores between digits.
func pyInt(s string) (int64, error) {
	if !pyIntRe.MatchString(s) {
		return 0, fmt.Errorf("not an integer")
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("integer out of range")
	}
	if math.Abs(float64(v)) > 1<<53 {
		return 0, fmt.Errorf("integer too large") // beyond exact float64
	}
	return v, nil
}

// pyFloat parses what Python's float() accepts, except inf and nan, which
// no setting can use.
func pyFloat(s string) (float64, error) {
	if !pyFloatRe.MatchString(s) {
		return 0, fmt.Errorf("not a number")
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Errorf("number out of range")
	}
	return v, nil
}

// legacyTrue is how the loader read RANDOMIZE_VISITOR_COUNTRIES,
// BACKFILL_ENABLED and BACKFILL_RUN_ONCE: only "true", in any case.
func legacyTrue(s string) bool { return strings.ToLower(s) == "true" }

// validatorTrue lists what the legacy validator (pydantic) also read as
// true; the loader read them as false.
func validatorTrue(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "yes", "y", "on", "t":
		return true
	}
	return false
}

// validatorFalse lists the spellings of false that pydantic accepted.
func validatorFalse(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "false", "0", "no", "n", "off", "f":
		return true
	}
	return false
}

// fmtNum writes a number the way YAML and people read it: 0.15, 20000,
// 1e+30 for the extremes.
func fmtNum(f float64) string {
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// toDuration converts an amount of unit (time.Second for seconds, ...) to
// a duration rounded to the nanosecond; ok is false beyond ~292 years.
func toDuration(v float64, unit time.Duration) (time.Duration, bool) {
	ns := math.Round(v * float64(unit))
	if ns < 0 || ns >= math.MaxInt64 {
		return 0, false
	}
	return time.Duration(ns), true
}

// fmtDuration writes a duration in the scenario's syntax, shortest form
// first: 300ms, 1.5s, 30s, 3m, 1h30m, 24h.
func fmtDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d < time.Second && d%time.Millisecond == 0:
		return strconv.FormatInt(int64(d/time.Millisecond), 10) + "ms"
	case d < time.Second && d%time.Microsecond == 0:
		return strconv.FormatInt(int64(d/time.Microsecond), 10) + "us"
	case d < time.Second:
		return strconv.FormatInt(int64(d), 10) + "ns"
	}
	var b strings.Builder
	if h := d / time.Hour; h > 0 {
		fmt.Fprintf(&b, "%dh", h)
		d -= h * time.Hour
	}
	if mi := d / time.Minute; mi > 0 {
		fmt.Fprintf(&b, "%dm", mi)
		d -= mi * time.Minute
	}
	if d > 0 {
		sec, frac := d/time.Second, d%time.Second
		b.WriteString(strconv.FormatInt(int64(sec), 10))
		if frac > 0 {
			b.WriteString(strings.TrimRight(fmt.Sprintf(".%09d", int64(frac)), "0"))
		}
		b.WriteString("s")
	}
	return b.String()
}

// clip shortens a value quoted in a message.
func clip(s string) string {
	const n = 40
	q := strconv.Quote(s)
	if q[1:len(q)-1] == s && s != "" && !strings.ContainsAny(s, " #") {
		q = s // plain values read better unquoted
	}
	if len(q) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(q[cut]) {
			cut--
		}
		return q[:cut] + "…"
	}
	return q
}
