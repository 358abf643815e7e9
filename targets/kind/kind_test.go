package kind

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestHitKindNames(t *testing.T) {
	want := []string{"pageview", "site_search", "outlink", "download", "event", "order", "ping"}
	for i, n := range want {
		k := HitKind(i)
		if k.String() != n {
			t.Errorf("HitKind(%d) = %q, want %q", i, k, n)
		}
		if back, ok := ParseHitKind(n); !ok || back != k {
			t.Errorf("ParseHitKind(%q) = %v, %v", n, back, ok)
		}
	}
	if NumHitKinds.String() != "unknown" || len(HitKindNames()) != int(NumHitKinds) {
		t.Errorf("%d names for %d kinds; NumHitKinds says %q", len(HitKindNames()), NumHitKinds, NumHitKinds)
	}
	if _, ok := ParseHitKind("Pageview"); ok {
		t.Error("ParseHitKind is case-sensitive")
	}
}

// TestSettingsNeverShowSecrets: JSON, %v, %+v and %#v show a token and URL
// credentials as [redacted]; Reveal gives them back to the one sender.
func TestSettingsNeverShowSecrets(t *testing.T) {
	s := Settings{Name: "eu", URL: "https://bob:pw-123456@m.example/matomo.php", Token: "tok-123456",
		Headers: map[string]Secret{"X-Key": "hdr-123456"}, Timeout: Duration(1500 * time.Millisecond)}
	raw, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{string(raw), fmt.Sprintf("%v", s), fmt.Sprintf("%+v", s), fmt.Sprintf("%#v", s)} {
		for _, secret := range []string{"pw-123456", "tok-123456", "hdr-123456", "bob"} {
			if strings.Contains(out, secret) {
				t.Errorf("%q shows in %s", secret, out)
			}
		}
	}
	want := `{"name":"eu","kind":"","url":"https://[redacted]@m.example/matomo.php","site_id":0,"token_auth":"[redacted]",` +
		`"bulk":0,"delivery":"","timeout":"1.5s","insecure_skip_verify":false,"headers":{"X-Key":"[redacted]"}}`
	if string(raw) != want {
		t.Errorf("JSON\n got %s\nwant %s", raw, want)
	}
	if s.Token.Reveal() != "tok-123456" || s.URL.Reveal() != "https://bob:pw-123456@m.example/matomo.php" {
		t.Error("Reveal does not give the values back")
	}
	if Secret("").String() != "" {
		t.Error("an empty secret shows as something")
	}
	var d Duration
	if err := d.UnmarshalText([]byte("2m")); err != nil || d.D() != 2*time.Minute {
		t.Errorf("Duration.UnmarshalText(2m) = %v, %v", d.D(), err)
	}
}
