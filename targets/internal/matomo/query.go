package matomo

import "github.com/trafficinator/trafficinator/targets/kind"

// EncodeQuery returns the parameters as a query string (without "?"),
// escaped as url.QueryEscape does.
func EncodeQuery(p kind.Params) string { return string(AppendQuery(nil, p)) }

// AppendQuery appends the encoded query string of p to dst. It allocates
// nothing when dst has room.
func AppendQuery(dst []byte, p kind.Params) []byte {
	for i, kv := range p {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = appendEscaped(dst, kv.Key)
		dst = append(dst, '=')
		dst = appendEscaped(dst, kv.Value)
	}
	return dst
}

// appendEscaped escapes s for a query component: unreserved characters
// stay, a space becomes "+", everything else is %XX. Runs of unreserved
// characters are copied at once.
func appendEscaped(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved[c] {
			continue
		}
		dst = append(dst, s[start:i]...)
		if c == ' ' {
			dst = append(dst, '+')
		} else {
			dst = append(dst, '%', hex[c>>4], hex[c&15])
		}
		start = i + 1
	}
	return append(dst, s[start:]...)
}

// unreserved marks the bytes a query component keeps as they are.
var unreserved = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~'
	}
	return t
}()
