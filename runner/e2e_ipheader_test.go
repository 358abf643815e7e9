package runner_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestIPHeaderEndToEnd: a token-less target with ip_header sends every
// hit of a visit with the visit's address in X-Forwarded-For and no cip in
// the body; the visits' addresses differ, as Matomo then needs to keep
// them apart.
func TestIPHeaderEndToEnd(t *testing.T) {
	type got struct{ ip, id, body string }
	var mu sync.Mutex
	var hits []got
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		q, _ := url.ParseQuery(string(b))
		mu.Lock()
		hits = append(hits, got{r.Header.Get("X-Forwarded-For"), q.Get("_id"), string(b)})
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	yaml := scenarioYAML(scenarioSpec{URL: srv.URL + "/matomo.php", MaxVisits: 200, Rate: "200/s"})
	yaml = strings.Replace(yaml, "    site_id: 1\n", "    site_id: 1\n    ip_header: X-Forwarded-For\n", 1)
	p := compile(t, yaml)
	if !p.Targets[0].Features.Geo {
		t.Fatal("ip_header did not turn geo on")
	}
	rep, _ := run(t, context.Background(), p, 10*time.Second)
	if rep.Run.Outcome != "passed" {
		t.Errorf("outcome %s", rep.Run.Outcome)
	}
	byVisitor := map[string]string{}
	ips := map[string]bool{}
	for _, h := range hits {
		if strings.Contains(h.body, "cip=") || strings.Contains(h.body, "token_auth") {
			t.Fatalf("body %q carries cip or a token", h.body)
		}
		if _, err := netip.ParseAddr(h.ip); err != nil {
			t.Fatalf("X-Forwarded-For %q: %v", h.ip, err)
		}
		if prev, ok := byVisitor[h.id]; ok && prev != h.ip {
			t.Fatalf("visitor %s sent from %s and %s", h.id, prev, h.ip)
		}
		byVisitor[h.id] = h.ip
		ips[h.ip] = true
	}
	if len(byVisitor) != 200 || len(ips) < 195 {
		t.Errorf("%d visitors from %d addresses in %d hits, want 200 visitors from about as many addresses", len(byVisitor), len(ips), len(hits))
	}
}
