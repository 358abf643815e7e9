package matomo

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// noContentServer is the cheapest possible tracker: read, answer 204.
func noContentServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
	}))
	b.Cleanup(srv.Close)
	return srv
}

const benchQuery = "idsite=1&rec=1&apiv=1&_id=0123456789abcdef&rand=123456&url=https%3A%2F%2Fshop.example.com%2Fproducts%2Fwidget&action_name=Widget&pv_id=a1B2c3&res=1920x1080&lang=en-US"

func BenchmarkSendOne(b *testing.B) {
	c := mustNew(b, Config{URL: noContentServer(b).URL + "/matomo.php", Token: "0123456789abcdef0123456789abcdef"})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if r := c.SendOne(ctx, benchQuery, "Mozilla/5.0"); r.OK != 1 {
			b.Fatalf("%+v", r)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "hits/s")
}

func BenchmarkSendBulk100(b *testing.B) {
	c := mustNew(b, Config{URL: noContentServer(b).URL + "/matomo.php", Token: "0123456789abcdef0123456789abcdef"})
	queries := make([]string, 100)
	for i := range queries {
		queries[i] = benchQuery + "&i=" + strconv.Itoa(i)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if r := c.SendBulk(ctx, queries, "Mozilla/5.0"); r.OK != 100 {
			b.Fatalf("%+v", r)
		}
	}
	b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "hits/s")
}
