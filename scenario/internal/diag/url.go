package diag

import (
	"net/url"
	"strings"
)

// URLCredentials returns the user information of a URL written as text
// ("user:pass" of https://user:pass@host/), and its password part decoded,
// or "" when it has none. It works on text that url.Parse refuses too, since
// an invalid URL is quoted by error messages all the same.
func URLCredentials(raw string) (userinfo, password string) {
	start, end := userinfoSpan(raw)
	if start < 0 {
		return "", ""
	}
	userinfo = raw[start:end]
	if i := strings.IndexByte(userinfo, ':'); i >= 0 {
		password = userinfo[i+1:]
		if p, err := url.PathUnescape(password); err == nil {
			password = p
		}
	}
	return userinfo, password
}

// RedactURL replaces the user information of a URL (user name and password)
// with [redacted]: https://[redacted]@host/matomo.php. A URL without any is
// returned as it is. The user name goes too, as some services take a token
// as the user name.
func RedactURL(raw string) string {
	start, end := userinfoSpan(raw)
	if start < 0 {
		return raw
	}
	return raw[:start] + Redacted + raw[end:]
}

// userinfoSpan locates the user information of raw: the text between
// "scheme://" and the last "@" of the authority. start is -1 without one.
func userinfoSpan(raw string) (start, end int) {
	i := strings.Index(raw, "://")
	if i < 0 {
		return -1, -1
	}
	start = i + 3
	authority := raw[start:]
	if j := strings.IndexAny(authority, "/?#"); j >= 0 {
		authority = authority[:j]
	}
	at := strings.LastIndexByte(authority, '@')
	if at < 0 {
		return -1, -1
	}
	return start, start + at
}
