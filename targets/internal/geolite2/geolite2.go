// Package geolite2 gives tests a real GeoIP country database to check the
// generator's addresses against: the IPv4 country ranges of the npm package
// @ip-location-db/geolite2-country (MaxMind GeoLite2 data, under MaxMind's
// GeoLite2 EULA). The package is never embedded or committed: Fetch
// downloads the pinned tarball with `npm pack` into a cache folder and
// reuses it from there.
//
// It also reads the public-domain @ip-location-db/geo-whois-asn-country
// tarball the same way, for the generator of the country table
// (targets/internal/matomodata, go test -run TestUpdateCountryTable -update).
package geolite2

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Version is the pinned version of both npm packages.
const Version = "2.3.2026061719"

// The npm packages, and the IPv4 CSV (numeric form) each holds.
const (
	GeoLite2Package = "@ip-location-db/geolite2-country"
	GeoLite2CSV     = "package/geolite2-country-ipv4-num.csv"
	WhoisPackage    = "@ip-location-db/geo-whois-asn-country"
	WhoisCSV        = "package/geo-whois-asn-country-ipv4-num.csv"
)

// CacheDir is where Fetch keeps the tarballs: $TRAFFICINATOR_NPM_CACHE, else
// trafficinator/npm under the user's cache folder ($XDG_CACHE_HOME or
// ~/.cache on Linux).
func CacheDir() (string, error) {
	if d := os.Getenv("TRAFFICINATOR_NPM_CACHE"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder (set TRAFFICINATOR_NPM_CACHE): %w", err)
	}
	return filepath.Join(d, "trafficinator", "npm"), nil
}

// Fetch returns the path of the tarball of pkg at Version in CacheDir,
// running `npm pack` when it is not there yet.
func Fetch(pkg string) (string, error) {
	dir, err := CacheDir()
	if err != nil {
		return "", err
	}
	// npm pack names @scope/name@v "scope-name-v.tgz".
	file := filepath.Join(dir, strings.NewReplacer("@", "", "/", "-").Replace(pkg)+"-"+Version+".tgz")
	if _, err := os.Stat(file); err == nil {
		return file, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", fmt.Errorf("npm is not installed: cannot fetch %s@%s (apt-get install npm)", pkg, Version)
	}
	cmd := exec.Command(npm, "pack", "--silent", "--pack-destination", dir, pkg+"@"+Version)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("npm pack %s@%s: %v: %s", pkg, Version, err, strings.TrimSpace(string(out)))
	}
	if _, err := os.Stat(file); err != nil {
		return "", fmt.Errorf("npm pack %s@%s made no %s", pkg, Version, file)
	}
	return file, nil
}

// Range is one row of a country CSV: the inclusive IPv4 range First … Last
// (as numbers) and its ISO country code.
type Range struct {
	First, Last uint32
	Country     string
}

// DB is a country database: ranges sorted by First, not overlapping.
type DB struct{ Ranges []Range }

// Open fetches pkg and reads the CSV member of its tarball.
func Open(pkg, member string) (*DB, error) {
	file, err := Fetch(pkg)
	if err != nil {
		return nil, err
	}
	return ReadTarball(file, member)
}

// ReadTarball reads the numeric IPv4 CSV member of a gzipped tarball.
func ReadTarball(file, member string) (*DB, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: no %s", file, member)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if h.Name == member {
			db, err := ReadCSV(tr)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", file, member, err)
			}
			return db, nil
		}
	}
}

// ReadCSV reads "first,last,CC" lines of numeric IPv4 ranges.
func ReadCSV(r io.Reader) (*DB, error) {
	db := &DB{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		f := strings.Split(sc.Text(), ",")
		if len(f) != 3 {
			return nil, fmt.Errorf("line %d: want 3 fields, got %d", n, len(f))
		}
		a, err1 := strconv.ParseUint(f[0], 10, 32)
		b, err2 := strconv.ParseUint(f[1], 10, 32)
		if err1 != nil || err2 != nil || b < a || len(f[2]) != 2 {
			return nil, fmt.Errorf("line %d: bad range %q", n, sc.Text())
		}
		db.Ranges = append(db.Ranges, Range{uint32(a), uint32(b), f[2]})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	db.Ranges = flatten(db.Ranges)
	return db, nil
}

// Conflict is the country of addresses that overlapping rows of a CSV give
// to different countries (the whois data has a few hundred such rows).
const Conflict = "--"

// flatten turns ranges into ranges that do not overlap, in address
// order: overlapping rows of one country merge, and addresses that rows of
// different countries share belong to Conflict, which agrees with no
// country. It sweeps over the rows' starts and ends.
func flatten(in []Range) []Range {
	type event struct {
		at      uint64 // the first address the event applies to
		start   bool
		country string
	}
	events := make([]event, 0, 2*len(in))
	for _, r := range in {
		events = append(events, event{uint64(r.First), true, r.Country}, event{uint64(r.Last) + 1, false, r.Country})
	}
	sort.Slice(events, func(i, j int) bool { return events[i].at < events[j].at })
	active := map[string]int{} // country → rows covering the current address
	var out []Range
	for i := 0; i < len(events); {
		at := events[i].at
		for ; i < len(events) && events[i].at == at; i++ {
			e := events[i]
			if e.start {
				active[e.country]++
			} else if active[e.country]--; active[e.country] == 0 {
				delete(active, e.country)
			}
		}
		if i == len(events) || len(active) == 0 {
			continue
		}
		country := Conflict
		if len(active) == 1 {
			for c := range active {
				country = c
			}
		}
		last := uint32(events[i].at - 1) // the segment is at … next event − 1
		if n := len(out); n > 0 && out[n-1].Country == country && uint64(out[n-1].Last)+1 == at {
			out[n-1].Last = last
		} else {
			out = append(out, Range{uint32(at), last, country})
		}
	}
	return out
}

// Lookup returns the country of an IPv4 address; ok is false when no
// range holds it.
func (db *DB) Lookup(ip netip.Addr) (country string, ok bool) {
	ip = ip.Unmap()
	if !ip.Is4() {
		return "", false
	}
	b := ip.As4()
	return db.LookupNum(uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]))
}

// LookupNum is Lookup of an address as a number.
func (db *DB) LookupNum(a uint32) (country string, ok bool) {
	i := sort.Search(len(db.Ranges), func(i int) bool { return db.Ranges[i].Last >= a })
	if i < len(db.Ranges) && db.Ranges[i].First <= a {
		return db.Ranges[i].Country, true
	}
	return "", false
}

// Cursor looks up ascending addresses in constant time each.
type Cursor struct {
	db *DB
	i  int
}

// Cursor returns a cursor at the start of db.
func (db *DB) Cursor() *Cursor { return &Cursor{db: db, i: -1} }

// Lookup is DB.LookupNum for addresses given in ascending order; a smaller
// address than the previous one starts a binary search again.
func (c *Cursor) Lookup(a uint32) (country string, ok bool) {
	rs := c.db.Ranges
	if c.i < 0 || c.i >= len(rs) || rs[c.i].First > a {
		c.i = sort.Search(len(rs), func(i int) bool { return rs[i].Last >= a })
	}
	for c.i < len(rs) && rs[c.i].Last < a {
		c.i++
	}
	if c.i < len(rs) && rs[c.i].First <= a {
		return rs[c.i].Country, true
	}
	return "", false
}

// Uniform reports whether every address of first … last lies in ranges of
// country, without gaps.
func (db *DB) Uniform(first, last uint32, country string) bool {
	i := sort.Search(len(db.Ranges), func(i int) bool { return db.Ranges[i].Last >= first })
	next := uint64(first)
	for ; i < len(db.Ranges) && next <= uint64(last); i++ {
		r := db.Ranges[i]
		if uint64(r.First) > next || r.Country != country {
			return false
		}
		next = uint64(r.Last) + 1
	}
	return next > uint64(last)
}
