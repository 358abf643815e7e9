package model

import (
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	ok := map[string]time.Duration{
		"500ms": 500 * time.Millisecond, "30s": 30 * time.Second, "2m": 2 * time.Minute,
		"1h": time.Hour, "1d": 24 * time.Hour, "1d12h": 36 * time.Hour, "0.5d": 12 * time.Hour,
		"0": 0, "0s": 0, " 2m ": 2 * time.Minute, "1h30m": 90 * time.Minute,
		"106751d": 106751 * 24 * time.Hour, // the longest whole number of days a Duration holds
	}
	for in, want := range ok {
		got, err := ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	bad := map[string]string{
		"":           "empty duration",
		"10":         "a unit is required",
		"1.5":        "a unit is required",
		"-5s":        "must not be negative",
		"10 minutes": "use a number with a unit",
		"5x":         "use a number with a unit",
		"-1d":        "invalid duration",
		"d":          "use a number with a unit",
		"1d-2h":      "must not be negative",
		"2dd":        "invalid duration",
		// Beyond time.Duration: these once came out as -2562047h.
		"200000d":      "too long",
		"1e300d":       "too long",
		"106751d1000h": "too long",
		"NaNd":         "invalid duration",
		"Infd":         "too long",
	}
	for in, frag := range bad {
		if _, err := ParseDuration(in); err == nil || !strings.Contains(err.Error(), frag) {
			t.Errorf("ParseDuration(%q) error = %v, want one containing %q", in, err, frag)
		}
	}
}

func TestParseRate(t *testing.T) {
	ok := map[string]float64{
		"10/s": 10, "600/min": 10, "3600/h": 1, "86400/day": 1, "43200/d": 0.5,
		"1.5/sec": 1.5, "120/minute": 2, "0/s": 0, " 7 / s ": 7, "7200/hour": 2, "5/second": 5,
	}
	for in, want := range ok {
		got, err := ParseRate(in)
		if err != nil || got != want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	bad := map[string]string{
		"10":          "write N/s, N/min, N/h or N/day",
		"10/week":     `unknown unit "week"`,
		"ten/s":       `"ten" is not a number`,
		"-1/s":        "must not be negative",
		"NaN/s":       "is not a number",
		"Inf/s":       "is not a number",
		"/s":          "is not a number",
		"1/s/s":       "unknown unit",
		"1e400/s":     "is not a number",
		"":            "write N/s",
		"10 per hour": "write N/s",
	}
	for in, frag := range bad {
		if _, err := ParseRate(in); err == nil || !strings.Contains(err.Error(), frag) {
			t.Errorf("ParseRate(%q) error = %v, want one containing %q", in, err, frag)
		}
	}
}

func TestResolveWindow(t *testing.T) {
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// 23:30 UTC on the 15th is already the 16th in Stockholm.
	late := time.Date(2026, 11, 15, 23, 30, 0, 0, time.UTC)
	cases := []struct {
		name     string
		b        Backfill
		loc      *time.Location
		now      time.Time
		from, to string
		days     int
	}{
		{"last 7 days include today", Backfill{LastDays: 7}, time.UTC, testNow, "2026-11-09", "2026-11-15", 7},
		{"offset 1 ends yesterday", Backfill{LastDays: 7, OffsetDays: 1}, time.UTC, testNow, "2026-11-08", "2026-11-14", 7},
		{"today is local", Backfill{LastDays: 1}, stockholm, late, "2026-11-16", "2026-11-16", 1},
		{"absolute", Backfill{From: &Date{Time: day("2026-10-01")}, To: &Date{Time: day("2026-10-31")}}, time.UTC, testNow, "2026-10-01", "2026-10-31", 31},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := ResolveWindow(&tc.b, tc.loc, tc.now)
			if !w.From.Equal(day(tc.from)) || !w.To.Equal(day(tc.to)) || w.Days() != tc.days {
				t.Errorf("got %s..%s (%d days), want %s..%s (%d)", w.From.Format(time.DateOnly), w.To.Format(time.DateOnly), w.Days(), tc.from, tc.to, tc.days)
			}
		})
	}
}
