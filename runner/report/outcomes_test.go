package report_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/report"
)

// outcomeRec records one request of each outcome and drops and cuts short
// some visits: 1 ok, 2 rejected, 3 failed, 4 unknown, 5 unsent, 6 dropped.
func outcomeRec() *metrics.Recorder {
	r := newRec()
	q := metrics.Request{Status: 200, Attempts: 1, Latency: time.Millisecond, OK: 1, Rejected: 2}
	q.Hits[kind.Pageview] = 3
	r.RecordRequest(q)
	q = metrics.Request{Status: 500, Attempts: 1, Latency: time.Millisecond, Failed: 3, ErrKind: "http_5xx", ErrMsg: "HTTP 500"}
	q.Hits[kind.Pageview] = 3
	r.RecordRequest(q)
	q = metrics.Request{Attempts: 1, Latency: time.Second, Unknown: 4, ErrKind: "timeout", ErrMsg: "timeout after the request was sent"}
	q.Hits[kind.Pageview] = 4
	r.RecordRequest(q)
	r.RecordVisit()
	r.RecordUnsent(5)
	r.RecordDropped(6)
	return r
}

func TestTableShowsEveryOutcome(t *testing.T) {
	r := reportFrom("t1", digestA, t0, time.Minute, named{"a", outcomeRec()})
	var b bytes.Buffer
	if err := report.WriteTable(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	header := "│ target │ health  │ visits │ dropped visits │ sent │ ok │ rejected │ failed │ unknown │ unsent │ dropped │ retries │"
	row := "│ a      │ healthy │ 1      │ 1              │ 10   │ 1  │ 2        │ 3      │ 4       │ 5      │ 6       │ 0       │"
	for _, want := range []string{header, row} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks\n%s\nin\n%s", want, out)
		}
	}
	if strings.Contains(out, "WARNING") {
		t.Errorf("a warning without at_least_once:\n%s", out)
	}
}

func TestTableWarnsAboutAtLeastOnce(t *testing.T) {
	r := reportFrom("t1", digestA, t0, time.Minute, named{"a", outcomeRec()}, named{"b", outcomeRec()})
	r.Targets[1].SetDelivery("at_least_once")
	r.Targets[0].SetDelivery("at_most_once")
	var b bytes.Buffer
	if err := report.WriteTable(&b, r); err != nil {
		t.Fatal(err)
	}
	want := "WARNING: target b uses delivery at_least_once: requests that may have reached Matomo were sent again, so some hits may be recorded twice and visits split (docs/delivery.md).\n"
	if got := strings.Count(b.String(), "WARNING"); got != 1 || !strings.Contains(b.String(), want) {
		t.Errorf("%d warnings; want exactly\n%s\nin\n%s", got, want, b.String())
	}
}

func TestMergeAddsEveryOutcomeAndKeepsDelivery(t *testing.T) {
	a := reportFrom("r1", digestA, t0, time.Minute, named{"a", outcomeRec()})
	b := reportFrom("r2", digestA, t0, time.Minute, named{"a", outcomeRec()})
	b.Targets[0].SetDelivery("at_least_once")
	a.Backfill = &report.BackfillReport{Days: []report.DayRow{{Date: "2026-03-01", Planned: 3, Delivered: 1, UnknownVisits: 2, OK: 5, Unknown: 2, Complete: true}}}
	b.Backfill = &report.BackfillReport{Days: []report.DayRow{{Date: "2026-03-01", Planned: 2, Undelivered: 1, UnknownVisits: 1, OK: 4, Unknown: 1, Failed: 1}}}
	m, err := report.Merge([]report.Input{{Source: "a.json", Report: a}, {Source: "b.json", Report: b}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []metrics.Counters{m.Targets[0].Counters, m.Total.Counters} {
		got := [...]int64{c.OK, c.Rejected, c.Failed, c.Unknown, c.Unsent, c.DroppedHits, c.Dropped}
		if got != [...]int64{2, 4, 6, 8, 10, 12, 2} {
			t.Errorf("ok, rejected, failed, unknown, unsent, dropped hits, dropped visits = %v", got)
		}
	}
	if m.Targets[0].Delivery != "at_least_once" {
		t.Errorf("merged delivery %q, want at_least_once from b", m.Targets[0].Delivery)
	}
	if d := m.Backfill.Days[0]; d.OK != 9 || d.Unknown != 3 || d.Failed != 1 || d.Complete {
		t.Errorf("merged day %+v", d)
	}
}

func TestDecodeRefusesV1(t *testing.T) {
	_, err := report.Decode([]byte(`{"version": "trafficinator.report/v1", "targets": []}`))
	if !errors.Is(err, report.ErrVersionV1) {
		t.Fatalf("error %v, want ErrVersionV1", err)
	}
	if _, err := report.Decode([]byte(`{"version": "trafficinator.report/v4"}`)); err == nil ||
		err.Error() != `report version "trafficinator.report/v4" is not supported (want "trafficinator.report/v3" or "trafficinator.report/v2")` {
		t.Errorf("error %v for v4", err)
	}
}
