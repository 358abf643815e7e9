package geolite2

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadCSVAndLookup(t *testing.T) {
	db, err := ReadCSV(strings.NewReader("16777472,16778239,CN\n16777216,16777471,AU\n16778240,16779263,AU\n"))
	if err != nil {
		t.Fatal(err)
	}
	for ip, want := range map[string]string{
		"1.0.0.0": "AU", "1.0.0.255": "AU", "1.0.1.0": "CN", "1.0.3.255": "CN", "1.0.4.0": "AU",
		"1.0.7.255": "AU", "1.0.8.0": "", "0.255.255.255": "", "::ffff:1.0.1.1": "CN", "2001:db8::1": "",
	} {
		got, ok := db.Lookup(netip.MustParseAddr(ip))
		if got != want || ok != (want != "") {
			t.Errorf("Lookup(%s) = %q, %v; want %q", ip, got, ok, want)
		}
	}
	if !db.Uniform(16778240, 16779263, "AU") || db.Uniform(16777216, 16778239, "AU") ||
		db.Uniform(16778240, 16779264, "AU") || !db.Uniform(16777472, 16777472, "CN") {
		t.Error("Uniform is wrong at a range boundary")
	}
}

func TestCursorMatchesLookup(t *testing.T) {
	db, err := ReadCSV(strings.NewReader("10,19,AA\n20,29,BB\n40,49,CC\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := db.Cursor()
	for _, a := range []uint32{0, 9, 10, 15, 19, 20, 30, 39, 40, 49, 50, 12, 45} { // ascending, then back
		got, ok := c.Lookup(a)
		want, wantOK := db.LookupNum(a)
		if got != want || ok != wantOK {
			t.Errorf("Cursor.Lookup(%d) = %q, %v; LookupNum says %q, %v", a, got, ok, want, wantOK)
		}
	}
}

// TestOverlapsBecomeConflicts: rows of different countries that overlap
// (the whois data has a few) agree with no country where they overlap;
// rows of one country merge.
func TestOverlapsBecomeConflicts(t *testing.T) {
	db, err := ReadCSV(strings.NewReader("100,199,DE\n150,150,BE\n151,199,DE\n200,299,FR\n250,350,FR\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprint([]Range{{100, 149, "DE"}, {150, 150, Conflict}, {151, 199, "DE"}, {200, 350, "FR"}})
	if got := fmt.Sprint(db.Ranges); got != want {
		t.Errorf("ranges %s, want %s", got, want)
	}
	if db.Uniform(100, 199, "DE") || !db.Uniform(151, 199, "DE") || !db.Uniform(200, 350, "FR") {
		t.Error("Uniform does not see the conflict")
	}
	// A row that starts inside an earlier conflict.
	db, err = ReadCSV(strings.NewReader("100,199,DE\n150,160,BE\n155,170,NL\n"))
	if err != nil {
		t.Fatal(err)
	}
	want = fmt.Sprint([]Range{{100, 149, "DE"}, {150, 170, Conflict}, {171, 199, "DE"}})
	if got := fmt.Sprint(db.Ranges); got != want {
		t.Errorf("ranges %s, want %s", got, want)
	}
}

func TestReadCSVRejectsBadLines(t *testing.T) {
	for _, text := range []string{"1,2", "1,2,ABC", "2,1,AU", "x,2,AU", "1,4294967296,AU", "1,2,AU,extra"} {
		if _, err := ReadCSV(strings.NewReader(text)); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("ReadCSV(%q) error = %v, want one at line 1", text, err)
		}
	}
}

func TestReadTarball(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pkg.tgz")
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, body := range map[string]string{"package/README.md": "x", GeoLite2CSV: "16777216,16777471,AU\n"} {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := ReadTarball(file, GeoLite2CSV)
	if err != nil || len(db.Ranges) != 1 || db.Ranges[0].Country != "AU" {
		t.Fatalf("ReadTarball = %+v, %v", db, err)
	}
	if _, err := ReadTarball(file, WhoisCSV); err == nil || !strings.Contains(err.Error(), "no "+WhoisCSV) {
		t.Errorf("missing member: %v", err)
	}
	if err := os.WriteFile(file, []byte("not gzip"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadTarball(file, GeoLite2CSV); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("not a tarball: %v", err)
	}
}

// TestFetchUsesTheCache: a tarball already in the cache is used as is,
// without npm.
func TestFetchUsesTheCache(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TRAFFICINATOR_NPM_CACHE", dir)
	t.Setenv("PATH", "") // no npm: only the cache can answer
	want := filepath.Join(dir, "ip-location-db-geolite2-country-"+Version+".tgz")
	if err := os.WriteFile(want, []byte("cached"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := Fetch(GeoLite2Package); err != nil || got != want {
		t.Errorf("Fetch = %q, %v; want %q", got, err, want)
	}
	if _, err := Fetch(WhoisPackage); err == nil || !strings.Contains(err.Error(), "npm is not installed") {
		t.Errorf("Fetch without npm or cache: %v", err)
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"16777216,16777471,AU\n16777472,16778239,CN\n",
		"100,199,DE\n150,150,BE\n151,199,DE\n",
		"100,199,DE\n150,160,BE\n155,170,NL\n",
		"1,2\n", "", "4294967295,4294967295,ZZ", "5,1,AU",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		rows, err := ReadCSV(strings.NewReader(text))
		if err != nil {
			return
		}
		db := rows
		for i, r := range db.Ranges {
			if r.Last < r.First || (i > 0 && r.First <= db.Ranges[i-1].Last) {
				t.Fatalf("ranges overlap or are reversed: %v", db.Ranges)
			}
			if got, ok := db.LookupNum(r.First); !ok || got != r.Country {
				t.Fatalf("LookupNum(%d) = %q, want %q", r.First, got, r.Country)
			}
		}
	})
}
