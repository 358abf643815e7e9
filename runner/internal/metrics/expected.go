package metrics

import (
	"fmt"
	"sort"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// The expected figures of delivery verification (docs/verify.md): what the
// run's own accounting says Matomo should show, per day of run.timezone,
// in the terms of kind.Figures. They are Sent again, split by day, and
// filled from the same SentVisit: no second pipeline.
//
// A visit counts on the day of its last recorded hit by cdt. Pings and
// orders are not actions, but Matomo moves a visit's
// visit_last_action_time with each of them, and its archives put a visit
// on the day of that time. Matomo honours cdt without a token when it is
// less than 24 hours old and refuses (400) an older one without a token,
// so every ok hit is recorded at its cdt.

// ExpectConfig says how a recorder keeps the expected figures.
type ExpectConfig struct {
	// Loc is the zone of the days (run.timezone); nil is UTC.
	Loc *time.Location
	// SampleSize is how many visits the sample keeps; 0 keeps none.
	SampleSize int
	// Returning: the run has returning visitors, so a visitor may visit
	// twice on one day and count once among that day's unique visitors.
	// The recorder then remembers which visitors counted on the current
	// and the previous day; without it every visit is a distinct visitor
	// and nothing is remembered.
	Returning bool
}

// Expected are a recorder's expected figures, for the report.
type Expected struct {
	Days   []ExpectedDay
	Sample []kind.LiveVisit // sorted by visitor id
	// SampleSize is how many visits the sample was asked to hold.
	SampleSize int
}

// ExpectedDay is the figures of one day, Date as YYYY-MM-DD.
type ExpectedDay struct {
	Date string
	kind.Figures
}

// expected accumulates the figures by day.
type expected struct {
	loc       *time.Location
	returning bool
	days      map[int32]*kind.Figures // by civil day yyyymmdd
	// The last day looked up, to find a visit's day without the time
	// zone arithmetic when it falls in it (almost always).
	curFrom, curTo int64
	curDay         int32
	// visitors that counted among a day's unique visitors (Returning
	// only): the current and the previous day are kept.
	visitors map[visitorDay]struct{}
	maxDay   int32
	sample   *sampler
}

type visitorDay struct {
	id  uint64
	day int32
}

// Expect makes the recorder keep the expected figures; call it before the
// first visit is recorded.
func (r *Recorder) Expect(c ExpectConfig) {
	loc := c.Loc
	if loc == nil {
		loc = time.UTC
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exp = &expected{loc: loc, returning: c.Returning, days: map[int32]*kind.Figures{}, curTo: -1 << 62}
	if c.Returning {
		r.exp.visitors = map[visitorDay]struct{}{}
	}
	if c.SampleSize > 0 {
		r.exp.sample = newSampler(c.SampleSize)
	}
}

// SampleCandidate reports whether a visit being built with sample key key
// may enter the sample (false without a sample), and counts it as built
// (sample.go). A builder asks before it makes a visit's LiveVisit, so
// that the others cost nothing; most are turned away by an atomic, not a
// lock.
func (r *Recorder) SampleCandidate(key uint64) bool {
	e := r.exp
	return e != nil && e.sample != nil && e.sample.candidate(key)
}

// day returns the figures of the day of unix time t.
func (e *expected) day(t int64) *kind.Figures {
	if t < e.curFrom || t >= e.curTo {
		lt := time.Unix(t, 0).In(e.loc)
		y, m, d := lt.Date()
		e.curFrom = time.Date(y, m, d, 0, 0, 0, 0, e.loc).Unix()
		e.curTo = time.Date(y, m, d+1, 0, 0, 0, 0, e.loc).Unix()
		e.curDay = int32(y*10000 + int(m)*100 + d)
		e.forget(e.curDay)
	}
	f := e.days[e.curDay]
	if f == nil {
		f = &kind.Figures{}
		e.days[e.curDay] = f
	}
	return f
}

// forget drops the visitors of the days before the previous one, once a
// later day shows up: a visitor comes back 30 minutes after its last hit
// at the earliest, and visits are recorded as they end, so a day's
// visitors matter until the next day is under way.
func (e *expected) forget(day int32) {
	if day <= e.maxDay {
		return
	}
	prev := e.maxDay
	e.maxDay = day
	if prev == 0 || len(e.visitors) == 0 {
		return
	}
	for k := range e.visitors {
		if k.day < prev {
			delete(e.visitors, k)
		}
	}
}

// add counts what one recorded visit adds to its day.
func (e *expected) add(v *SentVisit) {
	f := e.day(v.Last)
	if !v.Counted {
		f.Visits++
		if e.uniqueOnDay(v) {
			f.UniqueVisitors++
		}
		if v.ReferrerType != "" {
			f.ReferrerTypes = inc(f.ReferrerTypes, v.ReferrerType)
		}
		if v.Country != "" {
			f.Countries = inc(f.Countries, v.Country)
		}
	}
	a := &v.Hits
	f.Pageviews += int64(a[kind.Pageview])
	f.Searches += int64(a[kind.SiteSearch])
	f.Outlinks += int64(a[kind.Outlink])
	f.Downloads += int64(a[kind.Download])
	f.Events += int64(a[kind.Event])
	f.Actions += int64(a[kind.Pageview] + a[kind.SiteSearch] + a[kind.Outlink] + a[kind.Download] + a[kind.Event])
	f.Orders += v.Orders
	f.RevenueCents += v.Revenue
	f.SubtotalCents += v.Subtotal
	f.TaxCents += v.Tax
	f.ShippingCents += v.Shipping
	if v.Sample != nil && e.sample != nil {
		e.sample.offer(v.SampleKey, v.Sample)
	}
}

// uniqueOnDay says whether the visit's visitor is new among the unique
// visitors of its day (e.curDay): always without returning visitors, else
// unless a visit of the same visitor counted on that day already.
func (e *expected) uniqueOnDay(v *SentVisit) bool {
	if !e.returning {
		return true
	}
	k := visitorDay{id: v.Visitor, day: e.curDay}
	if _, seen := e.visitors[k]; seen {
		return false
	}
	e.visitors[k] = struct{}{}
	return true
}

func inc(m map[string]int64, k string) map[string]int64 {
	if m == nil {
		m = map[string]int64{}
	}
	m[k]++
	return m
}

// Expected returns a copy of the expected figures: the days sorted by
// date, the sample sorted by visitor id; nil when Expect was not called.
func (r *Recorder) Expected() *Expected {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.exp
	if e == nil {
		return nil
	}
	out := &Expected{Days: make([]ExpectedDay, 0, len(e.days))}
	for d, f := range e.days {
		c := kind.Figures{}
		c.Add(*f) // a deep copy of the maps
		out.Days = append(out.Days, ExpectedDay{Date: dayString(d), Figures: c})
	}
	sort.Slice(out.Days, func(i, j int) bool { return out.Days[i].Date < out.Days[j].Date })
	if e.sample != nil {
		out.Sample = e.sample.visits()
		out.SampleSize = e.sample.size
	}
	return out
}

func dayString(d int32) string {
	return fmt.Sprintf("%04d-%02d-%02d", d/10000, d/100%100, d%100)
}
