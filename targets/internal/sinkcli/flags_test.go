package sinkcli

import (
	"flag"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/targets/internal/sink"
)

func parseSites(t *testing.T, args ...string) ([]sink.Site, error) {
	t.Helper()
	var f SiteFlags
	fs := flag.NewFlagSet("sink", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Var(f.Site(), "site", "")
	fs.Var(f.Token(), "token", "")
	fs.Var(f.Timezone(), "timezone", "")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return f.Sites()
}

func TestSiteFlagsOrder(t *testing.T) {
	cases := []struct {
		args []string
		want []sink.Site
	}{
		{nil, []sink.Site{{ID: 1}}},
		{[]string{"--token", "T1"}, []sink.Site{{ID: 1, Tokens: []string{"T1"}}}},
		{[]string{"--timezone", "Europe/Stockholm"}, []sink.Site{{ID: 1, Timezone: "Europe/Stockholm"}}},
		{
			[]string{"--timezone", "Asia/Tokyo", "--site", "3", "--token", "A", "--token", "B", "--site", "1", "--timezone", "UTC", "--site", "7", "--token", "C"},
			[]sink.Site{
				{ID: 3, Tokens: []string{"A", "B"}, Timezone: "Asia/Tokyo"},
				{ID: 1, Timezone: "UTC"},
				{ID: 7, Tokens: []string{"C"}, Timezone: "Asia/Tokyo"},
			},
		},
	}
	for _, c := range cases {
		got, err := parseSites(t, c.args...)
		if err != nil {
			t.Errorf("%v: %v", c.args, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v:\n got %+v\nwant %+v", c.args, got, c.want)
		}
	}
}

func TestSiteFlagsErrors(t *testing.T) {
	cases := map[string][]string{
		"not a positive integer":     {"--site", "0"},
		"given twice":                {"--site", "2", "--site", "2"},
		"unknown timezone":           {"--timezone", "Mars/Olympus"},
		"--timezone given twice for": {"--site", "1", "--timezone", "UTC", "--timezone", "UTC"},
		"twice before the first":     {"--timezone", "UTC", "--timezone", "UTC"},
		"must follow the --site":     {"--token", "T", "--site", "1"},
		"empty token":                {"--token", ""},
	}
	for want, args := range cases {
		_, err := parseSites(t, args...)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: error %v, want %q", args, err, want)
		}
	}
}

// urfave/cli must hand the flags over in command-line order, as Go's flag
// package does; this is what the sink command relies on.
func TestSiteFlagsUnderURFaveCLI(t *testing.T) {
	var f SiteFlags
	var got []sink.Site
	app := &cli.App{
		Writer:    io.Discard,
		ErrWriter: io.Discard,
		Commands: []*cli.Command{{
			Name: "sink",
			Flags: []cli.Flag{
				&cli.GenericFlag{Name: "site", Value: f.Site()},
				&cli.GenericFlag{Name: "token", Value: f.Token()},
				&cli.GenericFlag{Name: "timezone", Value: f.Timezone()},
			},
			Action: func(*cli.Context) error {
				var err error
				got, err = f.Sites()
				return err
			},
		}},
	}
	err := app.Run([]string{"trafficinator", "sink", "--site", "2", "--token", "X", "--site", "5", "--timezone", "Europe/Berlin", "--token", "Y"})
	if err != nil {
		t.Fatal(err)
	}
	want := []sink.Site{{ID: 2, Tokens: []string{"X"}}, {ID: 5, Tokens: []string{"Y"}, Timezone: "Europe/Berlin"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestParseSize(t *testing.T) {
	good := map[string]int64{
		"1": 1, "1024": 1024, "32MiB": 32 << 20, "32mib": 32 << 20, "512KiB": 512 << 10,
		"1GiB": 1 << 30, "10MB": 10_000_000, "10 kb": 10_000, "2k": 2000, "100B": 100,
	}
	for in, want := range good {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "MiB", "1.5MiB", "3TiB", "99999999999GiB", "12 parsecs"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) accepted", in)
		}
	}
}
