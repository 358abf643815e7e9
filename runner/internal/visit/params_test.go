package visit

import (
	"net/url"
	"reflect"
	"testing"
)

func TestParamsEncode(t *testing.T) {
	p := Params{
		{"url", "https://example.test/a b?x=1&y=ü"},
		{"action_name", `Pro Tablet 11" | 100%`},
		{"empty", ""},
		{"safe", "AZaz09-_.~"},
	}
	want := "url=" + url.QueryEscape("https://example.test/a b?x=1&y=ü") +
		"&action_name=" + url.QueryEscape(`Pro Tablet 11" | 100%`) +
		"&empty=&safe=AZaz09-_.~"
	if got := p.Encode(); got != want {
		t.Errorf("Encode = %q, want %q", got, want)
	}
	back, err := url.ParseQuery(p.Encode())
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
	if Params(nil).Encode() != "" {
		t.Error("empty params encode to something")
	}
}

// FuzzEncode: any key and value encode as url.QueryEscape does, so that
// they survive any query parser.
func FuzzEncode(f *testing.F) {
	for _, s := range [][2]string{{"url", "https://example.test/a?b=c&d=e#f"}, {"action_name", "Ä | 100% \"x\""}, {"", ""}, {"k", "\x00\xff+"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		enc := Params{{key, value}, {"z", "1"}}.Encode()
		if want := url.QueryEscape(key) + "=" + url.QueryEscape(value) + "&z=1"; enc != want {
			t.Fatalf("Encode = %q, want %q", enc, want)
		}
	})
}
