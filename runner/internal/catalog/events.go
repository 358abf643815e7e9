package catalog

import (
	"strconv"
	"sync"
)

// Event is one entry of an event catalogue.
type Event struct {
	Category string
	Action   string
	Name     string
	Value    string // numeric text for e_v; "" when the event has no value
}

// ClickEvents returns the 16 legacy click events (none has a value).
func ClickEvents() []Event { return clickEvents() }

var clickEvents = sync.OnceValue(func() []Event { return parseEvents("click-events.tsv") })

// RandomEvents returns the 16 legacy random events (5 have a value).
func RandomEvents() []Event { return randomEvents() }

var randomEvents = sync.OnceValue(func() []Event { return parseEvents("random-events.tsv") })

func parseEvents(name string) []Event {
	var out []Event
	for _, r := range rows(name, true, 4) {
		e := Event{Category: r.fields[0], Action: r.fields[1], Name: r.fields[2], Value: r.fields[3]}
		if e.Category == "" || e.Action == "" || e.Name == "" {
			panic(dataError(name, r.line, "empty category, action or name"))
		}
		if e.Value != "" {
			if _, err := strconv.ParseFloat(e.Value, 64); err != nil {
				panic(dataError(name, r.line, "value %q is not a number", e.Value))
			}
		}
		out = append(out, e)
	}
	return out
}
