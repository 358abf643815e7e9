package reporting

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// seedAll adds every answer of testdata/matomo-api, and a few shapes
// around them, to f's corpus.
func seedAll(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "matomo-api", "*"))
	if err != nil || len(files) < 12 {
		f.Fatalf("testdata: %d files, %v", len(files), err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{`[]`, `{}`, `[{}]`, `null`, `{"result":"error","message":"x"}`, `[{"nb_visits":"1e400"}]`, `<h2>`} {
		f.Add([]byte(s))
	}
}

// FuzzDayParsers: the six report parsers take any bytes without
// panicking, and name countries and referrer types in lower case.
func FuzzDayParsers(f *testing.F) {
	seedAll(f)
	parsers := []func([]byte, *kind.Figures) error{
		parseVisitsSummary, parseActions, parseEvents, parseGoals, parseReferrerTypes, parseCountries,
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, parse := range parsers {
			var fig kind.Figures
			if err := parse(body, &fig); err == nil {
				for k := range fig.Countries {
					if k == "" || k != strings.ToLower(k) {
						t.Fatalf("country code %q", k)
					}
				}
				for k := range fig.ReferrerTypes {
					if k == "" || k != strings.ToLower(k) {
						t.Fatalf("referrer type %q", k)
					}
				}
			}
		}
	})
}

// FuzzParseVisits: visits come sorted by first action, with only the
// action types a run sends.
func FuzzParseVisits(f *testing.F) {
	seedAll(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		visits, err := parseVisits(body)
		if err != nil {
			return
		}
		for i, v := range visits {
			if i > 0 && visits[i-1].First > v.First {
				t.Fatalf("visit %d starts before visit %d", i, i-1)
			}
			for _, a := range v.Actions {
				if !liveTypes[a.Type] {
					t.Fatalf("action type %q kept", a.Type)
				}
				if a.Type != kind.LiveOrder && a.RevenueCents != 0 {
					t.Fatalf("revenue on a %s", a.Type)
				}
			}
		}
	})
}

// FuzzParseObjects: the one-object answers (version, site, counters).
func FuzzParseObjects(f *testing.F) {
	seedAll(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		if v, err := parseVersion(body); err == nil && v == "" {
			t.Fatal("empty version accepted")
		}
		if s, err := parseSite(body); err == nil && s.ID <= 0 {
			t.Fatalf("site id %d accepted", s.ID)
		}
		_, _ = parseCounters(body)
	})
}

// FuzzAnswerError: any answer is an error with a one-line message of a
// known kind, or no error.
func FuzzAnswerError(f *testing.F) {
	seedAll(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		e := answerError(body)
		if e == nil {
			return
		}
		if e.Message == "" || strings.ContainsAny(e.Message, "\n\r\t") {
			t.Fatalf("message %q", e.Message)
		}
		if e.Kind != KindAuth && e.Kind != KindAPI {
			t.Fatalf("kind %q", e.Kind)
		}
	})
}

// FuzzInvalidateAnswer: an answer is a success, a refusal with a message,
// or not JSON.
func FuzzInvalidateAnswer(f *testing.F) {
	seedAll(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		err := InvalidateAnswer(body)
		if err == nil {
			return
		}
		if ie, ok := err.(*InvalidateError); !ok || strings.Contains(ie.Refused, "\n") {
			t.Fatalf("error %#v", err)
		}
	})
}
