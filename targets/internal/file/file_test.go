package file

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// fakeVisit is a kind.Visit from literal hits.
type fakeVisit struct {
	n    uint64
	ua   string
	hits []kind.Hit
}

func (v fakeVisit) Number() uint64       { return v.n }
func (v fakeVisit) Agent() string        { return v.ua }
func (v fakeVisit) HitCount() int        { return len(v.hits) }
func (v fakeVisit) HitAt(i int) kind.Hit { return v.hits[i] }

func testVisit() fakeVisit {
	return fakeVisit{n: 12, ua: `Mozilla/5.0 "X" ü`, hits: []kind.Hit{
		{Kind: kind.Pageview, Visit: 12, Index: 0, Params: kind.Params{
			{Key: "idsite", Value: "3"}, {Key: "rec", Value: "1"}, {Key: "url", Value: "https://shop.test/a?b=c&d"},
			{Key: "cdt", Value: "2026-05-01 10:00:00"}, {Key: "token_auth", Value: "s3cr3t-t0ken"},
		}},
		{Kind: kind.Ping, Visit: 12, Index: 1, Params: kind.Params{{Key: "ping", Value: "1"}, {Key: "cdt", Value: "2026-05-01 10:00:31"}}},
	}}
}

// TestEncodeLines: one JSON object per hit, parameters in send order,
// token_auth left out.
func TestEncodeLines(t *testing.T) {
	e := encoder{target: "off line"}
	v := testVisit()
	payloads := make([]string, 2)
	if release := e.Encode(v, payloads); release != nil {
		t.Error("the file encoder pools nothing, but returned a release")
	}
	want := []string{
		`{"target":"off line","visit":12,"hit":0,"kind":"pageview","ua":"Mozilla/5.0 \"X\" ü","cdt":"2026-05-01 10:00:00",` +
			`"params":{"idsite":"3","rec":"1","url":"https://shop.test/a?b=c&d","cdt":"2026-05-01 10:00:00"}}`,
		`{"target":"off line","visit":12,"hit":1,"kind":"ping","ua":"Mozilla/5.0 \"X\" ü","cdt":"2026-05-01 10:00:31",` +
			`"params":{"ping":"1","cdt":"2026-05-01 10:00:31"}}`,
	}
	for i := range want {
		if payloads[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i, payloads[i], want[i])
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(payloads[i]), &m); err != nil {
			t.Errorf("line %d is not JSON: %v", i, err)
		}
	}
}

func openTarget(t *testing.T, url string, token kind.Secret) *Target {
	t.Helper()
	s := &kind.Settings{Name: "f", Kind: "file", URL: kind.URL(url), Token: token}
	if p := (Kind{}).Check(s); p != nil {
		t.Fatalf("Check(%s) = %+v", url, p)
	}
	kt, err := Kind{}.Open(s, kind.Env{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kt.Close() })
	return kt.(*Target)
}

// TestSendWritesLinesWithoutSecrets: single and bulk sends append whole
// lines; neither the settings' token nor a token_auth parameter reaches the
// file, the endpoint or the preflight.
func TestSendWritesLinesWithoutSecrets(t *testing.T) {
	const token = "s3cr3t-t0ken"
	path := filepath.Join(t.TempDir(), "hits.jsonl")
	tg := openTarget(t, "file:"+path, token)
	ctx := context.Background()
	pre := tg.Preflight(ctx)
	if !pre.Reachable || pre.Token != "unchecked" || pre.Message != "folder "+filepath.Dir(path)+" is writable" {
		t.Errorf("preflight = %+v", pre)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the preflight left a file behind: %v", err)
	}
	payloads := make([]string, 2)
	tg.Encode(testVisit(), payloads)
	if r := tg.SendOne(ctx, payloads[0], "ua"); r != (kind.Result{Hits: 1, OK: 1, Status: 200, Attempts: 1, Latency: r.Latency}) {
		t.Errorf("SendOne = %+v", r)
	}
	if r := tg.SendBulk(ctx, payloads, "ua"); r.OK != 2 || r.Hits != 2 || r.Err != nil {
		t.Errorf("SendBulk = %+v", r)
	}
	if err := tg.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := payloads[0] + "\n" + payloads[0] + "\n" + payloads[1] + "\n"; string(data) != want {
		t.Errorf("file:\n%s\nwant:\n%s", data, want)
	}
	for _, s := range []string{string(data), tg.Endpoint(), pre.Message} {
		if strings.Contains(s, token) || strings.Contains(s, "token_auth") {
			t.Errorf("a secret leaked: %s", s)
		}
	}
	if r := tg.SendOne(ctx, payloads[0], "ua"); r.Failed != 1 || r.ErrKind != "file" {
		t.Errorf("SendOne after Close = %+v, want one failed hit", r)
	}
}

// TestSendFailures: a file that cannot be created fails its hits (nothing
// was written); a cancelled context sends nothing.
func TestSendFailures(t *testing.T) {
	tg := openTarget(t, "file:"+filepath.Join(t.TempDir(), "missing", "hits.jsonl"), "")
	r := tg.SendBulk(context.Background(), []string{"{}", "{}"}, "")
	if r.Hits != 2 || r.Failed != 2 || r.ErrKind != "file" || r.Err == nil {
		t.Errorf("SendBulk into a missing folder = %+v", r)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r := openTarget(t, "file:"+filepath.Join(t.TempDir(), "x"), "").SendOne(ctx, "{}", ""); r.Failed != 1 || r.ErrKind != "canceled" {
		t.Errorf("SendOne cancelled = %+v", r)
	}
}

func TestPreflightRefuses(t *testing.T) {
	dir := t.TempDir()
	missing := openTarget(t, "file:"+filepath.Join(dir, "nope", "hits.jsonl"), "")
	p := missing.Preflight(context.Background())
	if want := "folder " + filepath.Join(dir, "nope") + " is not writable: no such file or directory"; p.Reachable || p.Message != want || p.Token != "none" {
		t.Errorf("preflight = %+v, want message %q", p, want)
	}
	folder := openTarget(t, "file:"+dir, "")
	if p := folder.Preflight(context.Background()); p.Reachable || p.Message != dir+" is a folder" {
		t.Errorf("preflight of a folder = %+v", p)
	}
}

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		url  kind.URL
		want []kind.Problem
	}{
		{"file:hits.jsonl", nil},
		{"file:/tmp/a b/hits.jsonl", nil},
		{"", []kind.Problem{{Key: true, Message: `missing required field "url"`,
			Hint: "set url: file:PATH, the file that receives one JSON line per hit"}}},
		{"file:", []kind.Problem{{Field: "url", Message: "a kind: file target's url must be file:PATH",
			Hint: "e.g. url: file:hits.jsonl (a relative path starts at the working directory)"}}},
		{"https://m.example/matomo.php", []kind.Problem{{Field: "url", Message: "a kind: file target's url must be file:PATH",
			Hint: "e.g. url: file:hits.jsonl (a relative path starts at the working directory)"}}},
	} {
		got := Kind{}.Check(&kind.Settings{URL: c.url})
		if len(got) != len(c.want) || (len(got) == 1 && got[0] != c.want[0]) {
			t.Errorf("Check(%q) = %+v, want %+v", c.url, got, c.want)
		}
	}
}

// FuzzAppendJSONString: any string encodes to a JSON string that decodes
// to the same text (invalid UTF-8 bytes as U+FFFD, one each).
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", `a"b\c`, "\x00\x1f\n\r\t", "ü€\u2028\u2029", "\xff\xfe", "</script>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendJSONString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%q encodes to %s, not JSON: %v", s, b, err)
		}
		var want strings.Builder
		for _, r := range s {
			want.WriteRune(r)
		}
		if got != want.String() {
			t.Fatalf("%q round-trips to %q", s, got)
		}
	})
}
