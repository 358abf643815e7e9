package sink

import "time"

// parseCdt reads a cdt value: "YYYY-MM-DD HH:MM:SS" in UTC, or a unix
// timestamp (digits, optionally with a fraction that is dropped). It does
// not allocate.
func parseCdt(s string) (unix int64, ok bool) {
	if len(s) == 19 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[13] == ':' && s[16] == ':' {
		return parseDateTime(s)
	}
	return parseUnix(s)
}

func parseDateTime(s string) (int64, bool) {
	y, ok1 := atoiN(s[0:4])
	mo, ok2 := atoiN(s[5:7])
	d, ok3 := atoiN(s[8:10])
	h, ok4 := atoiN(s[11:13])
	mi, ok5 := atoiN(s[14:16])
	sec, ok6 := atoiN(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return 0, false
	}
	if mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59 {
		return 0, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC)
	if t.Day() != d { // February 30 and the like roll over into the next month
		return 0, false
	}
	return t.Unix(), true
}

func parseUnix(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	whole := s
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			whole = s[:i]
			if !allDigits(s[i+1:]) {
				return 0, false
			}
			break
		}
	}
	if whole == "" || len(whole) > 12 {
		return 0, false
	}
	n, ok := atoiN(whole)
	return int64(n), ok
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// atoiN parses a non-empty string of ASCII digits.
func atoiN(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// civilDay is the number of days since 1970-01-01 of the date of unix in
// loc. Days are map keys of the per-day counts; UTC avoids the conversion.
func civilDay(unix int64, loc *time.Location) int32 {
	if loc == time.UTC {
		d := unix / 86400
		if unix%86400 < 0 {
			d--
		}
		return int32(d)
	}
	y, m, d := time.Unix(unix, 0).In(loc).Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// dayString formats a civilDay as YYYY-MM-DD.
func dayString(day int32) string {
	return time.Unix(int64(day)*86400, 0).UTC().Format(time.DateOnly)
}
