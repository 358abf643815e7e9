package web

import (
	"errors"
	"fmt"
	"net"
	"strings"
)

// ErrTokenRequired is the refusal to serve a page on a non-loopback
// address without a token: anyone on the network could stop the run.
var ErrTokenRequired = errors.New("--ui-token or TRAFFICINATOR_UI_TOKEN is required to serve on a non-loopback address")

// CheckBind checks a HOST:PORT a page is to listen on. A loopback host
// (127.0.0.0/8, ::1, localhost) needs nothing; any other, including an
// empty host (every interface), needs a token.
func CheckBind(addr, token string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w (want HOST:PORT, e.g. 127.0.0.1:8090)", addr, err)
	}
	if token == "" && !IsLoopbackHost(host) {
		return fmt.Errorf("address %q: %w", addr, ErrTokenRequired)
	}
	return nil
}

// IsLoopbackHost reports whether host (no port; an IPv6 literal with or
// without brackets) names this machine only.
func IsLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
