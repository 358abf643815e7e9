package sink

// isAbsoluteURL: a scheme, "://" and a non-empty host without spaces.
func isAbsoluteURL(u []byte) bool {
	i := 0
	for ; i < len(u); i++ {
		c := u[i]
		alpha := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if i == 0 && !alpha {
			return false
		}
		if !alpha && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			break
		}
	}
	if i == 0 || len(u) < i+3 || string(u[i:i+3]) != "://" {
		return false
	}
	host := hostOf(u[i+3:])
	if len(host) == 0 {
		return false
	}
	for _, c := range host {
		if c <= ' ' || c == 0x7f {
			return false
		}
	}
	return true
}

// hostOf returns the host of the text after "scheme://": up to the first
// '/', '?' or '#', without user info and port.
func hostOf(rest []byte) []byte {
	end := len(rest)
	for i, c := range rest {
		if c == '/' || c == '?' || c == '#' {
			end = i
			break
		}
	}
	h := rest[:end]
	for i := len(h) - 1; i >= 0; i-- {
		if h[i] == '@' {
			h = h[i+1:]
			break
		}
	}
	if len(h) > 0 && h[0] == '[' { // IPv6 literal
		for i, c := range h {
			if c == ']' {
				return h[:i+1]
			}
		}
		return nil
	}
	for i, c := range h {
		if c == ':' {
			return h[:i]
		}
	}
	return h
}
