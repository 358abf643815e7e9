package matomo

import (
	"context"
	"reflect"
	"testing"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// TestIPHeaderCarriesTheVisitIP: with ip_header, the visit's cip leaves
// the body and goes into that header, one address per visitor; without
// it, cip stays a parameter and no header is added.
func TestIPHeaderCarriesTheVisitIP(t *testing.T) {
	rec := newRecorder(t, reply{status: 204})
	c := mustNew(t, Config{URL: rec.srv.URL + "/matomo.php", IPHeader: "x-forwarded-for"})
	c.SendOne(context.Background(), "idsite=1&rec=1&cip=81.2.69.160&send_image=0", "UA/1")
	c.SendOne(context.Background(), "idsite=1&rec=1&cip=2001%3Adb8%3A%3A1", "UA/1")
	c.SendOne(context.Background(), "idsite=1&rec=1", "UA/1")
	plain := mustNew(t, Config{URL: rec.srv.URL + "/matomo.php"})
	plain.SendOne(context.Background(), "idsite=1&cip=81.2.69.160", "UA/1")
	want := []struct{ header, body string }{
		{"81.2.69.160", "idsite=1&rec=1&send_image=0"},
		{"2001:db8::1", "idsite=1&rec=1"},
		{"", "idsite=1&rec=1"},
		{"", "idsite=1&cip=81.2.69.160"},
	}
	got := rec.requests()
	if len(got) != len(want) {
		t.Fatalf("%d requests, want %d", len(got), len(want))
	}
	for i, w := range want {
		if h, b := got[i].Header.Get("X-Forwarded-For"), got[i].Body; h != w.header || b != w.body {
			t.Errorf("request %d: X-Forwarded-For %q, body %q; want %q, %q", i, h, b, w.header, w.body)
		}
	}
}

func TestCutCIP(t *testing.T) {
	for _, c := range []struct{ in, rest, ip string }{
		{"cip=1.2.3.4", "", "1.2.3.4"},
		{"cip=1.2.3.4&a=1", "a=1", "1.2.3.4"},
		{"a=1&cip=1.2.3.4", "a=1", "1.2.3.4"},
		{"a=1&cip=1.2.3.4&b=2", "a=1&b=2", "1.2.3.4"},
		{"a=1&xcip=9&b=2", "a=1&xcip=9&b=2", ""},
		{"", "", ""},
	} {
		if rest, ip := cutCIP(c.in); rest != c.rest || ip != c.ip {
			t.Errorf("cutCIP(%q) = %q, %q; want %q, %q", c.in, rest, ip, c.rest, c.ip)
		}
	}
}

// TestIPHeaderCheck: a bad header name and bulk are refused, by field.
func TestIPHeaderCheck(t *testing.T) {
	got := Kind{}.Check(&kind.Settings{IPHeader: "X Forwarded", Bulk: 10})
	want := []kind.Problem{
		{Field: "ip_header", Message: "ip_header is not a valid HTTP header name", Hint: "e.g. ip_header: X-Forwarded-For"},
		{Field: "ip_header", Message: "ip_header needs bulk: 0: a bulk request carries many visitors, and the header only one address", Hint: "remove bulk, or send a token_auth and cip instead"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Check = %+v\nwant %+v", got, want)
	}
	if p := (Kind{}).Check(&kind.Settings{IPHeader: "X-Forwarded-For"}); p != nil {
		t.Errorf("a valid ip_header: %+v", p)
	}
}
