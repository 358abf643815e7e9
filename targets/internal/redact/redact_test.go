package redact

import "testing"

// Every spelling a request or an answer can give the secret is replaced.
func TestScrubEverySpelling(t *testing.T) {
	r := New(`a b&c"<d>/é`)
	for in, want := range map[string]string{
		`raw a b&c"<d>/é end`:                  "raw [redacted] end",
		"query a+b%26c%22%3Cd%3E%2F%C3%A9 end": "query [redacted] end",
		"path a%20b&c%22%3Cd%3E%2F%C3%A9 end":  "path [redacted] end",
		`json a b\u0026c\"\u003cd\u003e/é end`: "json [redacted] end",
		"html a b&amp;c&#34;&lt;d&gt;/é end":   "html [redacted] end",
		"nothing to hide":                      "nothing to hide",
	} {
		if got := r.Scrub(in); got != want {
			t.Errorf("Scrub(%q) = %q, want %q", in, got, want)
		}
	}
	if got := New("").Scrub("a b"); got != "a b" {
		t.Errorf("the zero Redactor changed %q", got)
	}
}
