package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/report"
)

// The table lists what Matomo recorded per target and in total, countries
// beyond the fifth summed as "other"; without a recorded visit it is left
// out.
func TestTableShowsWhatMatomoRecorded(t *testing.T) {
	rec := newRec()
	for i, c := range []string{"us", "us", "de", "nl", "jp", "fr", "br"} {
		v := metrics.SentVisit{Recorded: true, NewVisitor: i != 1, ReferrerType: "search", Country: c, DurationS: 60}
		if i == 0 {
			v.ReferrerType, v.Orders, v.Revenue, v.Subtotal, v.Tax, v.Shipping = "social", 1, 12345, 11000, 1100, 245
		}
		rec.RecordSent(v)
	}
	var b bytes.Buffer
	if err := report.WriteTable(&b, reportFrom("s", digestA, t0, time.Second, named{"a", rec})); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"│ recorded │ visits │ unique visitors │ visit time s │ orders │ revenue │   referrer types    │                 countries                  │",
		"│ a        │ 7      │ 6               │ 420          │ 1      │ 123.45  │ search 6 · social 1 │ us 2 · br 1 · de 1 · fr 1 · jp 1 · other 1 │",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table without\n%s\n%s", want, out)
		}
	}
	b.Reset()
	if err := report.WriteTable(&b, reportFrom("s", digestA, t0, time.Second, named{"a", newRec()})); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "recorded") {
		t.Errorf("a table of recorded figures without any:\n%s", b.String())
	}
}
