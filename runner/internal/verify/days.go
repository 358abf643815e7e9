package verify

import (
	"sort"
	"time"
)

const dateLayout = "2006-01-02"

// siteDays returns the site's days that cover the run's days (dates in
// runTZ): the same dates when the zones agree, else every site day that
// overlaps one of them. A zone that does not load widens by a day each
// side, which covers any two zones less than a day apart.
func siteDays(dates []string, runTZ, siteTZ string) []string {
	if runTZ == siteTZ || len(dates) == 0 {
		return dates
	}
	runLoc, err1 := time.LoadLocation(runTZ)
	siteLoc, err2 := time.LoadLocation(siteTZ)
	set := map[string]bool{}
	for _, d := range dates {
		day, err := time.Parse(dateLayout, d)
		if err != nil {
			continue
		}
		if err1 != nil || err2 != nil {
			for _, off := range []int{-1, 0, 1} {
				set[day.AddDate(0, 0, off).Format(dateLayout)] = true
			}
			continue
		}
		start := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, runLoc)
		end := start.AddDate(0, 0, 1).Add(-time.Second)
		for t := start.In(siteLoc); !t.After(end); t = t.Add(time.Hour) {
			set[t.Format(dateLayout)] = true
		}
		set[end.In(siteLoc).Format(dateLayout)] = true
	}
	out := make([]string, 0, len(set))
	for d := range set {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// RealtimeDays are the days a realtime run starting at now can touch, in
// the site's timezone: today and tomorrow (a run that crosses midnight).
func RealtimeDays(now time.Time, siteTZ string) []string {
	loc, err := time.LoadLocation(siteTZ)
	if err != nil {
		loc = time.UTC
	}
	today := now.In(loc)
	return []string{today.Format(dateLayout), today.AddDate(0, 0, 1).Format(dateLayout)}
}
