package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// The value types below decode leniently: a value that does not parse is kept
// with its error and position, so that the semantic pass can report every bad
// value of a file at once instead of stopping at the first.

// Duration is a Go duration with an extra "d" (24h) unit, e.g. 90s, 2m, 1d12h.
type Duration struct {
	Raw string
	D   time.Duration
	Pos diag.Pos
	Err string
}

// ParseDuration reads a duration such as 500ms, 2m or 1d12h. Negative
// durations are rejected.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.ParseFloat(s[:i], 64)
		if err != nil || n < 0 || math.IsNaN(n) {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		// Converting a float beyond int64 to a Duration is undefined (it
		// came out negative): 100000d must be an error, not -2562047h.
		if n*float64(24*time.Hour) >= math.MaxInt64 {
			return 0, fmt.Errorf("invalid duration %q: too long", s)
		}
		days = time.Duration(n * float64(24*time.Hour))
		s = s[i+1:]
		if s == "" {
			return days, nil
		}
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil && s != "0" {
		return 0, fmt.Errorf("invalid duration %q: a unit is required (ms, s, m, h or d)", s)
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q: use a number with a unit, e.g. 500ms, 30s, 2m, 1h or 1d", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("invalid duration %q: must not be negative", s)
	}
	if days > math.MaxInt64-d {
		return 0, fmt.Errorf("invalid duration %q: too long", s)
	}
	return days + d, nil
}

// UnmarshalYAML keeps the raw text, the position and any parse error.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	d.Pos = nodePos(n)
	d.Raw = n.Value
	v, err := ParseDuration(n.Value)
	if n.Kind != yaml.ScalarNode {
		err = fmt.Errorf("a duration must be a string such as 30s")
	}
	if err != nil {
		d.Err = err.Error()
		return nil
	}
	d.D = v
	return nil
}

// MarshalYAML writes the duration back as written.
func (d Duration) MarshalYAML() (any, error) { return d.Raw, nil }

// MarshalText writes the duration back as written.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.Raw), nil }

// Rate is a visit arrival rate such as 10/s, 600/min, 20000/day.
type Rate struct {
	Raw       string
	PerSecond float64
	Pos       diag.Pos
	Err       string
}

var rateUnits = map[string]float64{
	"s": 1, "sec": 1, "second": 1,
	"m": 60, "min": 60, "minute": 60,
	"h": 3600, "hour": 3600,
	"d": 86400, "day": 86400,
}

// ParseRate reads "N/unit" (unit s, min, h or day; fractions allowed) and
// returns visits per second.
func ParseRate(s string) (float64, error) {
	if strings.TrimSpace(s) == "auto" {
		return 0, fmt.Errorf("rate auto is for backfill only (run.backfill.rps: auto): realtime sends the planned rate; write N/s, N/min, N/h or N/day")
	}
	num, unit, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return 0, fmt.Errorf("invalid rate %q: write N/s, N/min, N/h or N/day", s)
	}
	per, ok := rateUnits[strings.TrimSpace(unit)]
	if !ok {
		return 0, fmt.Errorf("invalid rate %q: unknown unit %q (use s, min, h or day)", s, unit)
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, fmt.Errorf("invalid rate %q: %q is not a number", s, num)
	}
	if n < 0 {
		return 0, fmt.Errorf("invalid rate %q: must not be negative", s)
	}
	return n / per, nil
}

// UnmarshalYAML keeps the raw text, the position and any parse error.
func (r *Rate) UnmarshalYAML(n *yaml.Node) error {
	r.Pos = nodePos(n)
	r.Raw = n.Value
	v, err := ParseRate(n.Value)
	if err != nil {
		r.Err = err.Error()
		return nil
	}
	r.PerSecond = v
	return nil
}

// MarshalYAML writes the rate back as written.
func (r Rate) MarshalYAML() (any, error) { return r.Raw, nil }

// MarshalText writes the rate back as written.
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.Raw), nil }

// Date is a calendar day written YYYY-MM-DD.
type Date struct {
	Raw  string
	Time time.Time // midnight UTC of that day; only Year/Month/Day matter
	Pos  diag.Pos
	Err  string
}

// UnmarshalYAML keeps the raw text, the position and any parse error.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	d.Pos = nodePos(n)
	d.Raw = n.Value
	t, err := time.Parse("2006-01-02", n.Value)
	if err != nil {
		d.Err = fmt.Sprintf("invalid date %q: use YYYY-MM-DD", n.Value)
		return nil
	}
	d.Time = t
	return nil
}

// MarshalText writes the date back as written.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.Raw), nil }

// IntRange is an inclusive {min, max} of integers.
type IntRange struct {
	Min int      `yaml:"min" json:"min"`
	Max int      `yaml:"max" json:"max"`
	Pos diag.Pos `yaml:"-" json:"-"`
}

// UnmarshalYAML records the position of the mapping.
func (r *IntRange) UnmarshalYAML(n *yaml.Node) error {
	type plain IntRange
	p := (*plain)(r)
	r.Pos = nodePos(n)
	return n.Decode(p)
}

// FloatRange is an inclusive {min, max} of numbers.
type FloatRange struct {
	Min float64  `yaml:"min" json:"min"`
	Max float64  `yaml:"max" json:"max"`
	Pos diag.Pos `yaml:"-" json:"-"`
}

// UnmarshalYAML records the position of the mapping.
func (r *FloatRange) UnmarshalYAML(n *yaml.Node) error {
	type plain FloatRange
	r.Pos = nodePos(n)
	return n.Decode((*plain)(r))
}

// DurationRange is an inclusive {min, max} of durations.
type DurationRange struct {
	Min Duration `yaml:"min" json:"min"`
	Max Duration `yaml:"max" json:"max"`
	Pos diag.Pos `yaml:"-" json:"-"`
}

// UnmarshalYAML records the position of the mapping.
func (r *DurationRange) UnmarshalYAML(n *yaml.Node) error {
	type plain DurationRange
	r.Pos = nodePos(n)
	return n.Decode((*plain)(r))
}

// VisitsPerDay is a number, or {min, max, weekend_factor} for backfill.
type VisitsPerDay struct {
	Min           float64  `yaml:"min" json:"min"`
	Max           float64  `yaml:"max" json:"max"`
	WeekendFactor *float64 `yaml:"weekend_factor,omitempty" json:"weekend_factor,omitempty"`
	Pos           diag.Pos `yaml:"-" json:"-"`
}

// UnmarshalYAML accepts a plain number (min = max) or a mapping.
func (v *VisitsPerDay) UnmarshalYAML(n *yaml.Node) error {
	v.Pos = nodePos(n)
	if n.Kind == yaml.ScalarNode {
		var f float64
		if err := n.Decode(&f); err != nil {
			return err
		}
		v.Min, v.Max = f, f
		return nil
	}
	type plain VisitsPerDay
	return n.Decode((*plain)(v))
}

// UnmarshalYAML accepts "builtin", {file: PATH} or {list: [...]}.
func (u *URLSource) UnmarshalYAML(n *yaml.Node) error {
	u.Pos = nodePos(n)
	if n.Kind == yaml.ScalarNode {
		u.Builtin = n.Value == "builtin"
		return nil
	}
	type plain URLSource
	return n.Decode((*plain)(u))
}

// UnmarshalYAML accepts true, false or a mapping of settings.
func (f *Feature) UnmarshalYAML(n *yaml.Node) error {
	type plain Feature
	return decodeToggle(n, &f.Pos, &f.Enabled, (*plain)(f))
}

// UnmarshalYAML accepts true, false or a mapping of settings.
func (f *EcommerceFeature) UnmarshalYAML(n *yaml.Node) error {
	type plain EcommerceFeature
	return decodeToggle(n, &f.Pos, &f.Enabled, (*plain)(f))
}

// UnmarshalYAML accepts true, false or a mapping of settings.
func (f *GeoFeature) UnmarshalYAML(n *yaml.Node) error {
	type plain GeoFeature
	return decodeToggle(n, &f.Pos, &f.Enabled, (*plain)(f))
}

// UnmarshalYAML records the position of the step.
func (s *FunnelStep) UnmarshalYAML(n *yaml.Node) error {
	type plain FunnelStep
	s.Pos = nodePos(n)
	return n.Decode((*plain)(s))
}

// UnmarshalYAML records the position of the policy.
func (p *Policy) UnmarshalYAML(n *yaml.Node) error {
	type plain Policy
	p.Pos = nodePos(n)
	return n.Decode((*plain)(p))
}

// UnmarshalYAML records the position of the backfill block.
func (b *Backfill) UnmarshalYAML(n *yaml.Node) error {
	type plain Backfill
	b.Pos = nodePos(n)
	return n.Decode((*plain)(b))
}

// decodeToggle decodes a feature written either as a bare true/false or as
// a mapping of settings (into plain, the feature's own type without its
// UnmarshalYAML, so that decoding does not recurse). It records the node's
// position either way.
func decodeToggle[P any](n *yaml.Node, pos *diag.Pos, enabled **bool, plain *P) error {
	*pos = nodePos(n)
	if b, ok := boolNode(n); ok {
		*enabled = &b
		return nil
	}
	return n.Decode(plain)
}

func boolNode(n *yaml.Node) (bool, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		return false, false
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		return false, false
	}
	return b, true
}

func nodePos(n *yaml.Node) diag.Pos { return diag.Pos{Line: n.Line, Column: n.Column} }

// BackfillRPS is run.backfill.rps: visits started per second at most, or
// auto (the fastest rate the target sustains, docs/backfill.md).
type BackfillRPS struct {
	PerSecond float64 // 0 with Auto, or when omitted: no fixed limit
	Auto      bool
	Pos       diag.Pos
}

// UnmarshalYAML reads a number or "auto"; the schema has checked which.
func (r *BackfillRPS) UnmarshalYAML(n *yaml.Node) error {
	r.Pos = nodePos(n)
	if n.Kind == yaml.ScalarNode && n.Value == "auto" {
		r.Auto = true
		return nil
	}
	return n.Decode(&r.PerSecond)
}

// IsZero lets omitempty leave out an rps that was not set.
func (r BackfillRPS) IsZero() bool { return !r.Auto && r.PerSecond == 0 }

// MarshalYAML writes the rate back: a number, or auto.
func (r BackfillRPS) MarshalYAML() (any, error) {
	if r.Auto {
		return "auto", nil
	}
	return r.PerSecond, nil
}

// MarshalJSON writes the rate as MarshalYAML does.
func (r BackfillRPS) MarshalJSON() ([]byte, error) {
	if r.Auto {
		return []byte(`"auto"`), nil
	}
	return []byte(strconv.FormatFloat(r.PerSecond, 'g', -1, 64)), nil
}
