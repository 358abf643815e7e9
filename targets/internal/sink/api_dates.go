package sink

import (
	"strconv"
	"strings"
	"time"
)

// dayRange is a period of the Reporting API: civil days (days since
// 1970-01-01, see civilDay) in the site's timezone, both included.
type dayRange struct{ from, to int32 }

func (r dayRange) has(day int32) bool { return r.from <= day && day <= r.to }

// maxRangeDays bounds a period, so that a request cannot make the sink
// loop over millions of days.
const maxRangeDays = 3660

// periodOf reads period and date as Matomo does: period day, week, month,
// year or range; date YYYY-MM-DD, today, yesterday or now, and for range
// two of them separated by a comma, or lastN / previousN.
func periodOf(period, date string, now int64, loc *time.Location) (dayRange, *apiError) {
	today := civilDay(now, loc)
	if period == "range" {
		return rangeOf(date, today)
	}
	d, err := dayOf(date, today)
	if err != nil {
		return dayRange{}, err
	}
	t := time.Unix(int64(d)*86400, 0).UTC()
	switch period {
	case "day":
		return dayRange{d, d}, nil
	case "week": // Monday to Sunday
		back := (int32(t.Weekday()) + 6) % 7
		return dayRange{d - back, d - back + 6}, nil
	case "month":
		first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		return spanOf(first, first.AddDate(0, 1, -1)), nil
	case "year":
		first := time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		return spanOf(first, first.AddDate(1, 0, -1)), nil
	}
	return dayRange{}, errorf("The period '%s' is not supported. Try any of the following instead: day, week, month, year, range", period)
}

func spanOf(a, b time.Time) dayRange {
	return dayRange{int32(a.Unix() / 86400), int32(b.Unix() / 86400)}
}

func rangeOf(date string, today int32) (dayRange, *apiError) {
	for _, p := range []string{"last", "previous"} {
		if n, ok := strings.CutPrefix(date, p); ok {
			k, err := strconv.Atoi(n)
			if err != nil || k < 1 || k > maxRangeDays {
				break
			}
			end := today
			if p == "previous" {
				end--
			}
			return dayRange{end - int32(k) + 1, end}, nil
		}
	}
	a, b, ok := strings.Cut(date, ",")
	if !ok {
		return dayRange{}, errorf("The date '%s' is not a correct date range: use YYYY-MM-DD,YYYY-MM-DD, lastN or previousN", date)
	}
	from, err := dayOf(a, today)
	if err != nil {
		return dayRange{}, err
	}
	to, err := dayOf(b, today)
	if err != nil {
		return dayRange{}, err
	}
	if to < from || to-from >= maxRangeDays {
		return dayRange{}, errorf("The date range '%s' is empty or longer than %d days", date, maxRangeDays)
	}
	return dayRange{from, to}, nil
}

func dayOf(date string, today int32) (int32, *apiError) {
	switch date {
	case "today", "now":
		return today, nil
	case "yesterday":
		return today - 1, nil
	}
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return 0, errorf("Date format must be: YYYY-MM-DD, or 'today' or 'yesterday' or any keyword supported by the strtotime function (see http://php.net/strtotime for more information): %s", date)
	}
	return int32(t.Unix() / 86400), nil
}
