package reporting

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// TestConfigOfSettings: a target with insecure_skip_verify and headers is
// read over TLS with its self-signed certificate and its headers.
func TestConfigOfSettings(t *testing.T) {
	var got string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("X-Env")
		_, _ = w.Write([]byte(`{"value":"5.0.2"}`))
	}))
	defer srv.Close()
	s := &kind.Settings{Kind: "matomo", SiteID: 4, Headers: map[string]kind.Secret{"X-Env": "ci"}}
	for _, insecure := range []bool{false, true} {
		s.InsecureSkipVerify = insecure
		cfg := ConfigOf(s, srv.URL+"/index.php", "tok")
		if cfg.SiteID != 4 || cfg.Token != "tok" || cfg.URL != srv.URL+"/index.php" {
			t.Fatalf("config %+v", cfg)
		}
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		v, err := c.Version(context.Background())
		if insecure && (err != nil || v != "5.0.2" || got != "ci") {
			t.Fatalf("insecure: %q, %v, header %q", v, err, got)
		}
		if !insecure && err == nil {
			t.Fatal("a self-signed certificate was accepted without insecure_skip_verify")
		}
	}
}
