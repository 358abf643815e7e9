package diag

import "testing"

func TestURLCredentials(t *testing.T) {
	cases := []struct{ raw, userinfo, password, redacted string }{
		{"https://user:pass@h.example/matomo.php", "user:pass", "pass", "https://[redacted]@h.example/matomo.php"},
		{"https://u:p%40ss@h.example", "u:p%40ss", "p@ss", "https://[redacted]@h.example"},
		{"https://tok3n@h.example/x?a=b@c", "tok3n", "", "https://[redacted]@h.example/x?a=b@c"},
		{"https://u:p@ss@h.example/%zz", "u:p@ss", "p@ss", "https://[redacted]@h.example/%zz"}, // url.Parse refuses it
		{"https://h.example/a@b", "", "", "https://h.example/a@b"},
		{"not a url @ all", "", "", "not a url @ all"},
		{"", "", "", ""},
	}
	for _, c := range cases {
		u, p := URLCredentials(c.raw)
		if u != c.userinfo || p != c.password {
			t.Errorf("URLCredentials(%q) = %q, %q; want %q, %q", c.raw, u, p, c.userinfo, c.password)
		}
		if got := RedactURL(c.raw); got != c.redacted {
			t.Errorf("RedactURL(%q) = %q, want %q", c.raw, got, c.redacted)
		}
	}
}

func TestMaskSecretsKeepsLength(t *testing.T) {
	in := []byte("url: https://user:secret-pw@h/\ntoken: abcd\n")
	got := string(MaskSecrets(in, []string{"user:secret-pw", "secret-pw", "abcd", "x"}))
	want := "url: https://[redacted]****@h/\ntoken: ****\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	clean := []byte("nothing here")
	if out := MaskSecrets(clean, []string{"secret"}); &out[0] != &clean[0] {
		t.Error("text without secrets must not be copied")
	}
}
