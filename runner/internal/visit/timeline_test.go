package visit

import (
	"fmt"
	"testing"
	"time"
)

func TestFormatCDT(t *testing.T) {
	cest := time.FixedZone("CEST", 2*3600)
	for in, want := range map[time.Time]string{
		time.Date(2025, 3, 1, 12, 0, 0, 999999999, time.UTC): "2025-03-01 12:00:00", // truncated, never rounded up
		time.Date(2025, 7, 1, 1, 30, 5, 0, cest):             "2025-06-30 23:30:05", // always UTC
		time.Date(999, 1, 2, 3, 4, 5, 0, time.UTC):           "0999-01-02 03:04:05",
	} {
		if got := FormatCDT(in); got != want || (in.Year() >= 1000 && got != in.UTC().Format(CDTLayout)) {
			t.Errorf("FormatCDT(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestStampEnd(t *testing.T) {
	now := time.Date(2025, 3, 30, 1, 0, 0, 500, time.FixedZone("CET", 3600)) // 00:00:00.0000005 UTC
	v := Generate(defaultConfig(), 5, 5)
	if cdt, _ := v.Hits[0].Params.Get("cdt"); cdt != "" {
		t.Errorf("cdt %q before placement", cdt)
	}
	v.StampEnd(now)
	checkStamped(t, v, now)
	if !v.Start.Equal(now.Add(-v.Duration)) {
		t.Errorf("start %v, want %v", v.Start, now.Add(-v.Duration))
	}
	if last := get(t, v.Hits[len(v.Hits)-1].Params, "cdt"); last != "2025-03-30 00:00:00" {
		t.Errorf("last cdt %q", last)
	}
}

func TestPlace(t *testing.T) {
	day := time.Date(2025, 2, 10, 0, 0, 0, 0, time.UTC)
	next := day.AddDate(0, 0, 1)
	cfg := defaultConfig()
	starts := map[int]int{} // hour of day → visits starting then
	share := 0.0            // Σ over visits of the chance to start in a given full hour
	const n = 2000
	for i := range uint64(n) {
		v := Generate(cfg, 12, i)
		if err := v.Place(day, next, next.AddDate(1, 0, 0)); err != nil {
			t.Fatal(err)
		}
		first, last := cdtOf(t, v, 0), cdtOf(t, v, len(v.Hits)-1)
		if first.Before(day) || !last.Before(next) || !v.Start.Add(v.Duration).Before(next) {
			t.Fatalf("visit %d placed %v … %v, outside %v … %v", i, first, last, day, next)
		}
		starts[v.Start.Hour()]++
		share += float64(time.Hour) / float64(next.Sub(day)-v.Duration) // the start is uniform on [day, next − duration)
		// Placement is deterministic.
		w := Generate(cfg, 12, i)
		if err := w.Place(day, next, next.AddDate(1, 0, 0)); err != nil || !w.Start.Equal(v.Start) {
			t.Fatalf("visit %d placed at %v then %v", i, v.Start, w.Start)
		}
	}
	for h := range 23 { // the last hour is shorter: visits must end before midnight
		within3SE(t, fmt.Sprintf("visits starting in hour %d", h), starts[h], n, share/n)
	}

	// notAfter inside the window: no hit after it.
	now := day.Add(9*time.Hour + 30*time.Second + 123)
	for i := range uint64(2000) {
		v := Generate(cfg, 12, i)
		if err := v.Place(day, next, now); err != nil {
			t.Fatal(err)
		}
		if last := cdtOf(t, v, len(v.Hits)-1); last.After(now) || cdtOf(t, v, 0).Before(day) {
			t.Fatalf("visit %d ends at %v, after %v", i, last, now)
		}
	}

	// A window shorter than the visit: it ends at the window's end.
	v := Generate(cfg, 11, 1)
	short := day.Add(v.Duration / 2)
	if err := v.Place(day, short, next); err != nil {
		t.Fatal(err)
	}
	if want := short.Add(-time.Nanosecond); !v.Start.Add(v.Duration).Equal(want) {
		t.Errorf("short window: visit ends at %v, want %v", v.Start.Add(v.Duration), want)
	}

	// Windows nothing fits in.
	for _, c := range []struct{ from, to, notAfter time.Time }{
		{day, next, day.Add(-time.Second)}, // the whole window is in the future
		{day, day, next},                   // empty
		{next, day, next},                  // reversed
	} {
		v := Generate(cfg, 11, 2)
		if err := v.Place(c.from, c.to, c.notAfter); err == nil || !v.Start.IsZero() {
			t.Errorf("Place(%v, %v, %v) placed the visit at %v", c.from, c.to, c.notAfter, v.Start)
		}
	}
}

func cdtOf(t *testing.T, v *Visit, i int) time.Time {
	t.Helper()
	ts, err := time.Parse(CDTLayout, get(t, v.Hits[i].Params, "cdt"))
	if err != nil {
		t.Fatal(err)
	}
	return ts
}
