package matomo

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/trafficinator/trafficinator/targets/kind"
)

func TestEncodeQuery(t *testing.T) {
	p := kind.Params{
		{Key: "url", Value: "https://example.test/a b?x=1&y=ü"},
		{Key: "action_name", Value: `Pro Tablet 11" | 100%`},
		{Key: "empty", Value: ""},
		{Key: "safe", Value: "AZaz09-_.~"},
	}
	want := "url=" + url.QueryEscape("https://example.test/a b?x=1&y=ü") +
		"&action_name=" + url.QueryEscape(`Pro Tablet 11" | 100%`) +
		"&empty=&safe=AZaz09-_.~"
	if got := EncodeQuery(p); got != want {
		t.Errorf("Encode = %q, want %q", got, want)
	}
	back, err := url.ParseQuery(EncodeQuery(p))
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range p {
		if back.Get(kv.Key) != kv.Value {
			t.Errorf("%s round-trips to %q, want %q", kv.Key, back.Get(kv.Key), kv.Value)
		}
	}
	if v, ok := p.Get("empty"); !ok || v != "" {
		t.Errorf("Get(empty) = %q, %v", v, ok)
	}
	if _, ok := p.Get("missing"); ok {
		t.Error("Get(missing) found something")
	}
	if got := p.Keys(); !reflect.DeepEqual(got, []string{"url", "action_name", "empty", "safe"}) {
		t.Errorf("Keys = %v", got)
	}
	if EncodeQuery(nil) != "" {
		t.Error("empty params encode to something")
	}
}

// FuzzEncodeQuery: any key and value encode as url.QueryEscape does, so that
// they survive any query parser.
func FuzzEncodeQuery(f *testing.F) {
	for _, s := range [][2]string{{"url", "https://example.test/a?b=c&d=e#f"}, {"action_name", "Ä | 100% \"x\""}, {"", ""}, {"k", "\x00\xff+"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		enc := EncodeQuery(kind.Params{{Key: key, Value: value}, {Key: "z", Value: "1"}})
		if want := url.QueryEscape(key) + "=" + url.QueryEscape(value) + "&z=1"; enc != want {
			t.Fatalf("Encode = %q, want %q", enc, want)
		}
	})
}
