package legacy

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// yamlString renders a string value, or "" for an empty one (a field that
// is not written). The loader expands ${VAR} in every string, so a literal
// "$" is written "$$".
func yamlString(s string) string {
	if s == "" {
		return ""
	}
	return quoteIfNeeded(strings.ReplaceAll(s, "$", "$$"))
}

// yamlRef renders a value that is meant to be expanded, such as
// ${MATOMO_TOKEN_AUTH}; "" for none.
func yamlRef(s string) string {
	if s == "" {
		return ""
	}
	return quoteIfNeeded(s)
}

// yamlKey renders a mapping key (keys are never expanded).
func yamlKey(s string) string { return quoteIfNeeded(s) }

// quoteIfNeeded writes s plain when YAML reads it back as the same string,
// and double-quoted otherwise.
func quoteIfNeeded(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if plainSafe(s) {
		return s
	}
	return doubleQuote(s)
}

func plainSafe(s string) bool {
	if s == "" || s != strings.TrimSpace(s) || strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`") {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) || r == '\uFEFF' {
			return false
		}
	}
	var v any
	if err := yaml.Unmarshal([]byte(s), &v); err != nil {
		return false
	}
	got, ok := v.(string)
	return ok && got == s
}

// doubleQuote writes a YAML double-quoted scalar; Go's escapes are a
// subset of YAML's for valid UTF-8.
func doubleQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == utf8.RuneError || !unicode.IsPrint(r) && r != ' ':
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func yamlInt[T ~int | ~int64](v T) string { return strconv.FormatInt(int64(v), 10) }

func yamlBool(v bool) string { return strconv.FormatBool(v) }

// flowMap writes a one-line mapping such as { min: 2, max: 4 }.
func flowMap(pairs ...string) string {
	parts := make([]string, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		parts = append(parts, pairs[i]+": "+pairs[i+1])
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

// flowList writes a one-line sequence such as [0, 5.99].
func flowList(items []string) string { return "[" + strings.Join(items, ", ") + "]" }
