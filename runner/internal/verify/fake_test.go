package verify

import (
	"context"
	"errors"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// fakeAPI answers like a site whose figures the test sets.
type fakeAPI struct {
	site        kind.SiteInfo
	siteErr     error
	days        map[string]kind.Figures
	raw         map[string]bool // raw data has visits (HasRawVisits)
	visits      map[string][]kind.LiveVisit
	invalidated [][]string
	dayReads    map[string]int
	// archivedAfter: a day answers no visits for its first reads.
	archivedAfter int
	counters      []kind.LiveCounters // Counters answers, in turn; the last repeats
	visitQueries  []string
	invalidateErr error
}

func (f *fakeAPI) Version(context.Context) (string, error)                { return "5.0.2", nil }
func (f *fakeAPI) Site(context.Context) (kind.SiteInfo, error)            { return f.site, f.siteErr }
func (f *fakeAPI) HasRawVisits(_ context.Context, d string) (bool, error) { return f.raw[d], nil }

func (f *fakeAPI) Day(_ context.Context, d string) (kind.Figures, error) {
	if f.dayReads == nil {
		f.dayReads = map[string]int{}
	}
	f.dayReads[d]++
	if d == "boom" {
		return kind.Figures{}, errors.New("HTTP 500")
	}
	if f.dayReads[d] <= f.archivedAfter {
		return kind.Figures{}, nil
	}
	return f.days[d], nil
}

func (f *fakeAPI) Invalidate(_ context.Context, dates []string) error {
	f.invalidated = append(f.invalidated, dates)
	return f.invalidateErr
}

func (f *fakeAPI) Counters(context.Context, int) (kind.LiveCounters, error) {
	c := f.counters[0]
	if len(f.counters) > 1 {
		f.counters = f.counters[1:]
	}
	return c, nil
}

func (f *fakeAPI) Visits(_ context.Context, id, from, to string) ([]kind.LiveVisit, error) {
	f.visitQueries = append(f.visitQueries, id+" "+from+" "+to)
	return f.visits[id], nil
}
