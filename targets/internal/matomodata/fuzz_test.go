package matomodata

import (
	"strings"
	"testing"
)

// FuzzParseTable: the table reader never panics, and a table it accepts
// has non-overlapping canonical IPv4 blocks outside bot and special-purpose
// space, with a zone per country.
func FuzzParseTable(f *testing.F) {
	f.Add(countriesTSV)
	f.Add("US\tA\t0.5\tAmerica/New_York\t4.0.0.0/8\nUS\tA\t0.5\tAmerica/New_York\t5.0.0.0/8\n")
	f.Add("US\tA\t0.5\tEurope/Nowhere\t4.0.0.0/8\n")
	f.Add("US\tA\t0.5\tUTC\t66.249.64.0/19\n")
	f.Add("# only a comment\n\n")
	f.Fuzz(func(t *testing.T, text string) {
		cs, err := parseTable(text)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		for _, c := range cs {
			if c.Location == nil || len(c.Prefixes) == 0 {
				t.Fatalf("%s: no zone or no blocks", c.Code)
			}
			for _, p := range c.Prefixes {
				if !p.Addr().Is4() || p != p.Masked() {
					t.Fatalf("%s: block %s", c.Code, p)
				}
				if _, bad := overlapping(p, botPrefixes); bad {
					t.Fatalf("%s: block %s in a bot range", c.Code, p)
				}
				if _, bad := overlapping(p, reserved); bad {
					t.Fatalf("%s: block %s in special-purpose space", c.Code, p)
				}
			}
		}
	})
}
