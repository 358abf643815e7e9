// Package sinkcli holds what the trafficinator sink command needs beyond
// flag definitions: the order-sensitive --site/--token/--timezone flags,
// the fault flags checked together, size parsing, and running the server
// until a signal.
package sinkcli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/trafficinator/trafficinator/targets/internal/sink"
)

// SiteFlags collects --site, --token and --timezone in command-line order:
// each --token and --timezone applies to the --site before it. A
// --timezone before any --site is the default of every site; a --token
// before any --site belongs to the implicit site 1, which exists only
// when no --site is given.
//
// The three flags share this collector because a flag parser calls Set in
// the order of the arguments, which separate slice flags would lose.
type SiteFlags struct {
	sites      []sink.Site
	defaultTZ  string
	early      []string // tokens before the first --site
	tzSetFor   map[int]bool
	defaultSet bool
}

// Value is a flag.Value (and a urfave/cli Generic) that feeds SiteFlags.
type Value struct {
	set func(string) error
}

func (v *Value) Set(s string) error { return v.set(s) }
func (v *Value) String() string     { return "" }

// Site returns the value of --site.
func (f *SiteFlags) Site() *Value { return &Value{set: f.addSite} }

// Token returns the value of --token.
func (f *SiteFlags) Token() *Value { return &Value{set: f.addToken} }

// Timezone returns the value of --timezone.
func (f *SiteFlags) Timezone() *Value { return &Value{set: f.setTimezone} }

func (f *SiteFlags) addSite(s string) error {
	id, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || id <= 0 {
		return fmt.Errorf("site id %q is not a positive integer", s)
	}
	for _, x := range f.sites {
		if x.ID == id {
			return fmt.Errorf("site %d given twice", id)
		}
	}
	f.sites = append(f.sites, sink.Site{ID: id})
	return nil
}

func (f *SiteFlags) addToken(s string) error {
	if s == "" {
		return errors.New("empty token")
	}
	if len(f.sites) == 0 {
		f.early = append(f.early, s)
		return nil
	}
	last := &f.sites[len(f.sites)-1]
	last.Tokens = append(last.Tokens, s)
	return nil
}

func (f *SiteFlags) setTimezone(s string) error {
	if _, err := time.LoadLocation(s); err != nil || s == "" {
		return fmt.Errorf("unknown timezone %q (want an IANA name such as Europe/Stockholm)", s)
	}
	if len(f.sites) == 0 {
		if f.defaultSet {
			return errors.New("--timezone given twice before the first --site")
		}
		f.defaultTZ, f.defaultSet = s, true
		return nil
	}
	last := &f.sites[len(f.sites)-1]
	if f.tzSetFor == nil {
		f.tzSetFor = map[int]bool{}
	}
	if f.tzSetFor[last.ID] {
		return fmt.Errorf("--timezone given twice for site %d", last.ID)
	}
	f.tzSetFor[last.ID] = true
	last.Timezone = s
	return nil
}

// Sites returns the collected sites: site 1 when no --site was given.
func (f *SiteFlags) Sites() ([]sink.Site, error) {
	if len(f.sites) == 0 {
		return []sink.Site{{ID: 1, Tokens: f.early, Timezone: f.defaultTZ}}, nil
	}
	if len(f.early) > 0 {
		return nil, errors.New("--token must follow the --site it belongs to")
	}
	out := make([]sink.Site, len(f.sites))
	for i, s := range f.sites {
		if s.Timezone == "" {
			s.Timezone = f.defaultTZ
		}
		out[i] = s
	}
	return out, nil
}

// ParseSize reads a byte count: a plain number, or one with a unit: B,
// KB/MB/GB (powers of 1000) or KiB/MiB/GiB (powers of 1024), any case.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := len(t)
	for i > 0 && (t[i-1] < '0' || t[i-1] > '9') {
		i--
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	mult := map[string]int64{
		"": 1, "b": 1,
		"k": 1000, "kb": 1000, "m": 1000 * 1000, "mb": 1000 * 1000, "g": 1000 * 1000 * 1000, "gb": 1000 * 1000 * 1000,
		"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30,
	}[unit]
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || mult == 0 || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("size %q: want a positive number of bytes such as 1048576, 512KiB or 32MiB", s)
	}
	return n * mult, nil
}
