package visit

// Param is one tracking parameter.
type Param struct {
	Key, Value string
}

// Params are the parameters of one hit, in the order they are sent. The
// order is part of the model: it keeps the encoded hit stream, and so a
// hash of it, stable.
type Params []Param

// Get returns the value of key and whether it is present.
func (p Params) Get(key string) (string, bool) {
	for _, kv := range p {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return "", false
}

// Keys returns the parameter names in order.
func (p Params) Keys() []string {
	out := make([]string, len(p))
	for i, kv := range p {
		out[i] = kv.Key
	}
	return out
}

// Encode returns the parameters as a query string (without "?"), escaped
// as url.QueryEscape does.
func (p Params) Encode() string { return string(p.AppendEncoded(nil)) }

// AppendEncoded appends the encoded query string to dst.
func (p Params) AppendEncoded(dst []byte) []byte {
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
