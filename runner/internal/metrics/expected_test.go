package metrics

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"
)

func newYork(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// visitAt is a recorded visit of visitor id whose last hit is at last,
// with one pageview and one event.
func visitAt(id uint64, last time.Time) SentVisit {
	v := SentVisit{Recorded: true, NewVisitor: true, ReferrerType: "search", Country: "de", Visitor: id, Last: last.Unix()}
	v.Hits[kind.Pageview], v.Hits[kind.Event], v.Hits[kind.Ping] = 1, 1, 1
	return v
}

// A visit counts on the day of its last hit in the zone: 23:30 and 00:30
// New York time are two days, whatever UTC says.
func TestExpectedDaysInTheZone(t *testing.T) {
	loc := newYork(t)
	r := NewRecorder(time.Minute, nil)
	r.Expect(ExpectConfig{Loc: loc})
	r.RecordSent(visitAt(1, time.Date(2026, 10, 24, 23, 30, 0, 0, loc)))
	r.RecordSent(visitAt(2, time.Date(2026, 10, 25, 0, 30, 0, 0, loc)))
	r.RecordSent(visitAt(3, time.Date(2026, 10, 24, 1, 0, 0, 0, loc)))
	order := visitAt(4, time.Date(2026, 10, 25, 9, 0, 0, 0, loc))
	order.Country = ""
	order.Orders, order.Revenue, order.Subtotal, order.Tax, order.Shipping = 1, 1250, 1000, 100, 150
	r.RecordSent(order)
	r.RecordSent(SentVisit{Visitor: 5, Last: 1}) // nothing recorded: counts nowhere

	e := r.Expected()
	day := func(visits, orders int64, countries int64) kind.Figures {
		f := kind.Figures{Visits: visits, UniqueVisitors: visits, Actions: 2 * visits, Pageviews: visits, Events: visits,
			ReferrerTypes: map[string]int64{"search": visits}, Countries: map[string]int64{"de": countries}}
		if orders > 0 {
			f.Orders, f.RevenueCents, f.SubtotalCents, f.TaxCents, f.ShippingCents = orders, 1250, 1000, 100, 150
		}
		return f
	}
	want := []ExpectedDay{{"2026-10-24", day(2, 0, 2)}, {"2026-10-25", day(2, 1, 1)}}
	if !reflect.DeepEqual(e.Days, want) {
		t.Fatalf("days\n %+v\nwant\n %+v", e.Days, want)
	}
	e.Days[0].Countries["de"] = 99 // a copy: the recorder's figures stay
	if again := r.Expected(); again.Days[0].Countries["de"] != 2 {
		t.Errorf("Expected shares its maps with the recorder")
	}
	if e.Sample != nil || e.SampleSize != 0 {
		t.Errorf("sample %v of %d without one asked for", e.Sample, e.SampleSize)
	}
}

// A visitor counts once among a day's unique visitors with returning
// visitors, on each day it visits; a resumed visit counts its actions
// only.
func TestExpectedUniqueVisitorsAndResumedVisits(t *testing.T) {
	loc := newYork(t)
	at := func(d, h int) time.Time { return time.Date(2026, 10, d, h, 0, 0, 0, loc) }
	for _, returning := range []bool{true, false} {
		r := NewRecorder(time.Minute, nil)
		r.Expect(ExpectConfig{Loc: loc, Returning: returning})
		r.RecordSent(visitAt(7, at(24, 10)))
		back := visitAt(7, at(24, 12))
		back.NewVisitor = false
		r.RecordSent(back)
		back.Last = at(25, 8).Unix()
		r.RecordSent(back)
		resumed := visitAt(8, at(25, 9))
		resumed.Counted = true
		r.RecordSent(resumed)
		e := r.Expected()
		if len(e.Days) != 2 {
			t.Fatalf("days %+v", e.Days)
		}
		want24 := int64(1)
		if !returning {
			want24 = 2 // every visit is a visitor of its own
		}
		d24, d25 := e.Days[0].Figures, e.Days[1].Figures
		if d24.Visits != 2 || d24.UniqueVisitors != want24 {
			t.Errorf("returning %v: day 24 %d visits, %d unique; want 2, %d", returning, d24.Visits, d24.UniqueVisitors, want24)
		}
		if d25.Visits != 1 || d25.UniqueVisitors != 1 || d25.Actions != 4 || d25.Countries["de"] != 1 || d25.ReferrerTypes["search"] != 1 {
			t.Errorf("returning %v: day 25 %+v; want the resumed visit's actions only", returning, d25)
		}
	}
}

// The sample keeps the visits with the smallest keys, whatever the order
// they are built and end in; once twice its size of keys were built it
// turns away larger keys before their visits are made.
func TestExpectedSampleKeepsTheSmallestKeys(t *testing.T) {
	run := func(order []uint64) (*Expected, *Recorder) {
		r := NewRecorder(time.Minute, nil)
		r.Expect(ExpectConfig{SampleSize: 3})
		for _, k := range order {
			v := visitAt(k, time.Unix(1_800_000_000, 0))
			if r.SampleCandidate(k * 10) {
				v.Sample = &kind.LiveVisit{VisitorID: fmt.Sprintf("%016x", 100-k), First: int64(k), Actions: []kind.LiveAction{{Type: kind.LivePageview}}}
				v.SampleKey = k * 10
			}
			r.RecordSent(v)
		}
		return r.Expected(), r
	}
	a, rec := run([]uint64{9, 3, 7, 1, 8, 2, 6})
	b, _ := run([]uint64{2, 8, 1, 6, 3, 9, 7})
	var ids []string
	for _, v := range a.Sample {
		ids = append(ids, v.VisitorID)
	}
	// keys 10, 20, 30: visitors 99, 98, 97, sorted by id
	if want := []string{"0000000000000061", "0000000000000062", "0000000000000063"}; !reflect.DeepEqual(ids, want) || a.SampleSize != 3 {
		t.Fatalf("sample %v (size %d), want %v", ids, a.SampleSize, want)
	}
	if !reflect.DeepEqual(a.Sample, b.Sample) {
		t.Errorf("the order of the visits changed the sample")
	}
	// The candidates are the 6 smallest keys built: 10 … 30, 60 … 80.
	if rec.SampleCandidate(80) || !rec.SampleCandidate(79) {
		t.Errorf("with keys up to 80 built, a visit of key 80 must be turned away and 79 taken")
	}
	a.Sample[0].Actions[0].Type = "x"
	if rec.Expected().Sample[0].Actions[0].Type != kind.LivePageview {
		t.Errorf("Expected shares the sample's actions with the recorder")
	}
}

// Recording a visit allocates nothing once its day, referrer type and
// country have been seen.
func TestRecordSentDoesNotAllocate(t *testing.T) {
	loc := newYork(t)
	r := NewRecorder(time.Minute, nil)
	r.Expect(ExpectConfig{Loc: loc, SampleSize: 5})
	v := visitAt(1, time.Date(2026, 10, 24, 12, 0, 0, 0, loc))
	r.RecordSent(v)
	if n := testing.AllocsPerRun(1000, func() { r.RecordSent(v) }); n != 0 {
		t.Errorf("%v allocations per visit", n)
	}
}

// Whatever the order visits are built in, each of the size smallest keys
// of the run is a candidate when its visit is built, and at most
// 2 × size + the keys built before the bound settled are.
func TestSampleCandidatesHoldTheSmallestKeys(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		s := newSampler(5)
		keys := r.Perm(1000)
		taken := 0
		for _, k := range keys {
			if s.candidate(uint64(k)) {
				taken++
			} else if k < 5 {
				t.Fatalf("key %d turned away", k)
			}
		}
		if taken > 120 { // 10 + about 10·ln(100) in expectation
			t.Errorf("%d candidates of 1000 for a sample of 5", taken)
		}
	}
}
