package matomo

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestNewRejectsBadConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"empty URL", Config{}, "matomo: URL is empty"},
		{"no scheme", Config{URL: "m.example.com/matomo.php"}, "matomo: URL must start with http:// or https://"},
		{"ftp", Config{URL: "ftp://m.example.com/matomo.php"}, "matomo: URL must start with http:// or https://"},
		{"no host", Config{URL: "https:///matomo.php"}, "matomo: URL has no host"},
		{"unparsable", Config{URL: "http://[::1/matomo.php"}, "matomo: URL is not a valid URL"},
		{"token in URL", Config{URL: "https://m.example.com/matomo.php?token_auth=" + testToken},
			"matomo: URL must not contain token_auth (it would leak into server logs); set the token separately"},
		{"bad API URL", Config{URL: "https://m.example.com/matomo.php", APIURL: "index.php"}, "matomo: APIURL must start with http:// or https://"},
		{"bad header name", Config{URL: "https://m.example.com/", Headers: map[string]string{"X Bad": "1"}}, `matomo: header name "X Bad" is not valid`},
		{"header value injection", Config{URL: "https://m.example.com/", Headers: map[string]string{"Authorization": "Basic abc\r\nX: y"}},
			`matomo: value of header "Authorization" contains a line break or NUL`},
		{"idempotency key", Config{URL: "https://m.example.com/", Headers: map[string]string{"idempotency-key": "abc"}},
			`matomo: header "idempotency-key" is not allowed: it lets requests that may have reached Matomo be sent again`},
		{"x idempotency key", Config{URL: "https://m.example.com/", Headers: map[string]string{"X-Idempotency-Key": "abc"}},
			`matomo: header "X-Idempotency-Key" is not allowed: it lets requests that may have reached Matomo be sent again`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.cfg)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("New = %v, %v; want error %q", c, err, tc.want)
			}
			if strings.Contains(err.Error(), testToken) || strings.Contains(err.Error(), "abc") {
				t.Errorf("error leaks a secret: %q", err)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	c := mustNew(t, Config{URL: "https://m.example.com/matomo.php"})
	want := RetryPolicy{MaxAttempts: 3, BaseDelay: 100 * time.Millisecond, MaxDelay: 5 * time.Second}
	if c.cfg.Retry != want || c.cfg.Timeout != 10*time.Second || c.cfg.MaxConns != DefaultMaxConns || c.cfg.Delivery != AtMostOnce {
		t.Errorf("defaults: retry %+v timeout %v conns %d delivery %q", c.cfg.Retry, c.cfg.Timeout, c.cfg.MaxConns, c.cfg.Delivery)
	}
	if c.deadline.timeout != 10*time.Second {
		t.Errorf("request timeout %v", c.deadline.timeout)
	}
}

func TestTransportSizing(t *testing.T) {
	c := mustNew(t, Config{URL: "https://m.example.com/matomo.php", MaxConns: 77, Timeout: 3 * time.Second})
	tr := newTransport(c.cfg)
	if tr.MaxConnsPerHost != 77 || tr.MaxIdleConnsPerHost != 77 || tr.MaxIdleConns != 77 {
		t.Errorf("pool sizes %d/%d/%d, want 77", tr.MaxConnsPerHost, tr.MaxIdleConnsPerHost, tr.MaxIdleConns)
	}
	if tr.TLSClientConfig.InsecureSkipVerify || tr.DisableKeepAlives || tr.TLSHandshakeTimeout != 3*time.Second {
		t.Errorf("transport: insecure %v, keep-alives off %v, handshake %v",
			tr.TLSClientConfig.InsecureSkipVerify, tr.DisableKeepAlives, tr.TLSHandshakeTimeout)
	}
}

func TestEndpointDisplayAndAPIURL(t *testing.T) {
	for _, tc := range []struct{ in, display, api string }{
		{"https://m.example.com/matomo.php", "https://m.example.com/matomo.php", "https://m.example.com/index.php"},
		{"https://user:pw@m.example.com/stats/piwik.php?x=1#f", "https://m.example.com/stats/piwik.php", "https://user:pw@m.example.com/stats/index.php"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", "http://127.0.0.1:8080/index.php"},
		{"http://h/dir/", "http://h/dir/", "http://h/dir/index.php"},
	} {
		u, err := parseEndpoint("URL", tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if got := displayURL(u); got != tc.display {
			t.Errorf("displayURL(%s) = %s, want %s", tc.in, got, tc.display)
		}
		if got := apiURLFor(u).String(); got != tc.api {
			t.Errorf("apiURLFor(%s) = %s, want %s", tc.in, got, tc.api)
		}
	}
	// The derived API URL is a copy: the tracking URL is unchanged.
	u, _ := url.Parse("https://m.example.com/matomo.php")
	_ = apiURLFor(u)
	if u.Path != "/matomo.php" {
		t.Errorf("apiURLFor changed its argument: %s", u)
	}
}
