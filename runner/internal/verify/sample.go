package verify

import (
	"fmt"
	"strconv"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// overlapSlack is how far apart in time a recorded visit may be from the
// sampled one and still be taken for it: Matomo stamps hits when it gets
// them, a run when it sends them. Two visits of one visitor are at least
// Matomo's 30-minute visit gap apart, far more.
const overlapSlack = 60 * time.Second

// compareVisit returns the first difference between a sampled visit as it
// was sent and the visitor's visits as Live recorded them (over the run's
// days), or "" when Live recorded exactly it.
func compareVisit(want kind.LiveVisit, got []kind.LiveVisit) string {
	if len(got) == 0 {
		return "missing visit: Matomo has no visit of this visitor over the run's days"
	}
	slack := int64(overlapSlack / time.Second)
	var match []kind.LiveVisit
	for _, v := range got {
		if v.First <= want.Last+slack && v.Last >= want.First-slack {
			match = append(match, v)
		}
	}
	switch len(match) {
	case 0:
		return fmt.Sprintf("missing visit: Matomo has %d visit(s) of this visitor, none from %s to %s",
			len(got), stamp(want.First), stamp(want.Last))
	case 1:
		return compareActions(want.Actions, match[0].Actions)
	default:
		return fmt.Sprintf("split into %d visits", len(match))
	}
}

// compareActions returns the first difference between two action
// sequences, positions counted from 1.
func compareActions(want, got []kind.LiveAction) string {
	for i := 0; i < max(len(want), len(got)); i++ {
		pos := i + 1
		switch {
		case i >= len(got):
			return fmt.Sprintf("missing action at position %d: %s", pos, describe(want[i]))
		case i >= len(want):
			return fmt.Sprintf("extra action at position %d: %s", pos, describe(got[i]))
		}
		w, g := want[i], got[i]
		if same(w, g) {
			continue
		}
		later := indexOf(got[i+1:], w)
		gotLater := indexOf(want[i+1:], g)
		switch {
		case later >= 0 && gotLater >= 0:
			return fmt.Sprintf("different order at position %d: %s was recorded at position %d", pos, describe(w), pos+1+later)
		case later == 0:
			return fmt.Sprintf("extra action at position %d: %s", pos, describe(g))
		case gotLater == 0:
			return fmt.Sprintf("missing action at position %d: %s", pos, describe(w))
		}
		return fieldDifference(pos, w, g)
	}
	return ""
}

// same compares what a run can know of an action: every field the sent
// action has (an empty one was not part of what was sent).
func same(w, g kind.LiveAction) bool { return fieldDifference(0, w, g) == "" }

func fieldDifference(pos int, w, g kind.LiveAction) string {
	diff := func(what, a, b string) string {
		return fmt.Sprintf("different %s at position %d: sent %q, recorded %q", what, pos, a, b)
	}
	switch {
	case w.Type != g.Type:
		return diff("type", w.Type, g.Type)
	case w.URL != "" && w.URL != g.URL:
		return diff("url", w.URL, g.URL)
	case w.Keyword != "" && w.Keyword != g.Keyword:
		return diff("keyword", w.Keyword, g.Keyword)
	case w.EventCategory != "" && w.EventCategory != g.EventCategory:
		return diff("event category", w.EventCategory, g.EventCategory)
	case w.EventAction != "" && w.EventAction != g.EventAction:
		return diff("event action", w.EventAction, g.EventAction)
	case w.OrderID != "" && w.OrderID != g.OrderID:
		return diff("order id", w.OrderID, g.OrderID)
	case w.Type == kind.LiveOrder && w.RevenueCents != g.RevenueCents:
		return diff("revenue (cents)", strconv.FormatInt(w.RevenueCents, 10), strconv.FormatInt(g.RevenueCents, 10))
	}
	return ""
}

func indexOf(actions []kind.LiveAction, a kind.LiveAction) int {
	for i, x := range actions {
		if same(a, x) {
			return i
		}
	}
	return -1
}

// describe names an action for a message: its type and what tells it apart.
func describe(a kind.LiveAction) string {
	switch {
	case a.Keyword != "":
		return a.Type + " " + strconv.Quote(a.Keyword)
	case a.EventCategory != "":
		return a.Type + " " + strconv.Quote(a.EventCategory+"/"+a.EventAction)
	case a.OrderID != "":
		return a.Type + " " + strconv.Quote(a.OrderID)
	case a.URL != "":
		return a.Type + " " + a.URL
	}
	return a.Type
}

func stamp(unix int64) string { return time.Unix(unix, 0).UTC().Format(time.RFC3339) }
