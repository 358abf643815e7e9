package sinkcli

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// --drop-visits 1 answers every hit and records none; the start and stop
// lines say so, with the counts.
func TestRunDropsVisits(t *testing.T) {
	base, stop := startRun(t, Options{Listen: "127.0.0.1:0", DropVisits: 1, MergeVisits: 0.25, MisbehaveSeed: 9})
	for _, id := range []string{"0123456789abcdef", "0123456789abcdef", "fedcba9876543210"} {
		resp, err := http.Post(base+"/matomo.php", "application/x-www-form-urlencoded",
			strings.NewReader("idsite=1&rec=1&_id="+id+"&url=https%3A%2F%2Fx.example%2F&send_image=0"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			t.Errorf("status %d, want 204", resp.StatusCode)
		}
	}
	rest, err := stop()
	if err != nil {
		t.Fatal(err)
	}
	want := "trafficinator sink drops 100% and merges 25% of visits on purpose (seed 9)\n" +
		"trafficinator sink stopped: 3 requests, 3 hits (0 recorded, 0 excluded, 0 invalid), 0 rule violations\n" +
		"trafficinator sink dropped 2 visits (3 hits) and merged 0 visits on purpose\n"
	if rest != want {
		t.Errorf("output after the start line:\n%s\nwant:\n%s", rest, want)
	}
}

func TestRunRefusesBadShares(t *testing.T) {
	for _, o := range []Options{{DropVisits: 1.5}, {MergeVisits: -0.5}} {
		o.Listen = "127.0.0.1:0"
		err := Run(context.Background(), o, io.Discard)
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), ": want a share between 0 and 1, such as 0.02") {
			t.Errorf("%+v: %v, want a usage error", o, err)
		}
	}
}
