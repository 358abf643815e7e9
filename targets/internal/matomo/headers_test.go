package matomo

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// Credentials in the endpoint URL become Basic authentication, as
// http.Client would send them, and stay out of error messages.
func TestURLCredentialsSentAsBasicAuth(t *testing.T) {
	rec := newRecorder(t, reply{status: 204})
	u, _ := url.Parse(rec.srv.URL)
	u.User = url.UserPassword("loader", "pw:s3cret")
	c := mustNew(t, Config{URL: u.String() + "/matomo.php"})
	c.SendOne(context.Background(), "idsite=1&rec=1", "UA/1")
	q := rec.requests()[0]
	if got := q.Header.Get("Authorization"); got != "Basic bG9hZGVyOnB3OnMzY3JldA==" {
		t.Errorf("Authorization %q, want Basic of loader:pw:s3cret", got)
	}
	if strings.Contains(c.Endpoint(), "s3cret") {
		t.Errorf("endpoint %q shows the password", c.Endpoint())
	}
}

// A configured Authorization header wins over URL credentials.
func TestConfiguredAuthorizationKept(t *testing.T) {
	rec := newRecorder(t, reply{status: 204})
	u, _ := url.Parse(rec.srv.URL)
	u.User = url.UserPassword("loader", "pw")
	c := mustNew(t, Config{URL: u.String() + "/matomo.php", Headers: map[string]string{"Authorization": "Bearer abc"}})
	c.SendOne(context.Background(), "idsite=1&rec=1", "UA/1")
	if got := rec.requests()[0].Header.Get("Authorization"); got != "Bearer abc" {
		t.Errorf("Authorization %q, want the configured Bearer abc", got)
	}
}

// Header sets are shared per content type and agent; past the cap every
// request still gets the right header, built for it alone.
func TestHeaderSetsSharedAndCapped(t *testing.T) {
	s := newHeaderSets(map[string][]string{"User-Agent": {"configured"}, "X-A": {"1"}}, &url.URL{Host: "h"})
	a, b := s.get(formType, "UA/1"), s.get(formType, "UA/1")
	if a.Get("User-Agent") != "UA/1" || a.Get("X-A") != "1" || a.Get("Content-Type") != formType {
		t.Fatalf("header %v", a)
	}
	a.Set("X-Probe", "same map")
	if b.Get("X-Probe") != "same map" {
		t.Error("two requests with one agent got different maps")
	}
	if j := s.get(jsonType, "UA/1"); j.Get("Content-Type") != jsonType || j.Get("X-Probe") != "" {
		t.Errorf("bulk header %v shares the form one", j)
	}
	if d := s.get(formType, ""); d.Get("User-Agent") != "configured" {
		t.Errorf("no agent: User-Agent %q, want the configured one", d.Get("User-Agent"))
	}
	for i := range maxHeaderSets + 10 {
		ua := "UA/" + strconv.Itoa(i)
		if got := s.get(formType, ua).Get("User-Agent"); got != ua {
			t.Fatalf("agent %d: User-Agent %q", i, got)
		}
	}
	if n := s.count.Load(); n != maxHeaderSets {
		t.Errorf("%d sets kept, want the cap %d", n, maxHeaderSets)
	}
}
