package sink

import (
	"bytes"
	"net/url"
	"slices"
	"strings"
)

// field is a tracking parameter the sink reads. Other parameters are kept
// only in the raw text (for the log, examples and the OnHit hook).
type field uint8

const (
	fIdsite field = iota
	fRec
	fID
	fCid
	fUid
	fURL
	fURLRef
	fRcn // _rcn: the campaign name the JavaScript tracker kept in a cookie
	fPvID
	fNewVisit
	fSearch
	fEC
	fEA
	fEN
	fEV
	fIdgoal
	fEcID
	fEcItems
	fRevenue
	fEcSt
	fEcTx
	fEcSh
	fEcDt
	fDownload
	fLink
	fCdt
	fPing
	fCa
	fToken
	fCip
	fUA
	fSendImage
	fBots
	fLang
	numFields
)

// fieldOf maps a parameter name to its field. A switch on a string does
// not allocate, unlike a map keyed by a converted []byte.
func fieldOf(key string) (field, bool) {
	switch key {
	case "idsite":
		return fIdsite, true
	case "rec":
		return fRec, true
	case "_id":
		return fID, true
	case "cid":
		return fCid, true
	case "uid":
		return fUid, true
	case "url":
		return fURL, true
	case "urlref":
		return fURLRef, true
	case "_rcn":
		return fRcn, true
	case "pv_id":
		return fPvID, true
	case "new_visit":
		return fNewVisit, true
	case "search":
		return fSearch, true
	case "e_c":
		return fEC, true
	case "e_a":
		return fEA, true
	case "e_n":
		return fEN, true
	case "e_v":
		return fEV, true
	case "idgoal":
		return fIdgoal, true
	case "ec_id":
		return fEcID, true
	case "ec_items":
		return fEcItems, true
	case "revenue":
		return fRevenue, true
	case "ec_st":
		return fEcSt, true
	case "ec_tx":
		return fEcTx, true
	case "ec_sh":
		return fEcSh, true
	case "ec_dt":
		return fEcDt, true
	case "download":
		return fDownload, true
	case "link":
		return fLink, true
	case "cdt":
		return fCdt, true
	case "ping":
		return fPing, true
	case "ca":
		return fCa, true
	case "token_auth":
		return fToken, true
	case "cip":
		return fCip, true
	case "ua":
		return fUA, true
	case "send_image":
		return fSendImage, true
	case "bots":
		return fBots, true
	case "lang":
		return fLang, true
	}
	return 0, false
}

// params holds the known parameters of one hit. Values point into the
// request text and are URL-decoded only when read (escaped marks the ones
// still encoded), so a hit costs no allocation unless a value is escaped.
type params struct {
	v          [numFields]string
	has        uint64 // bit per field: present (possibly empty)
	escaped    uint64 // bit per field: v holds URL-encoded text
	badEscape  bool   // some key or value had a malformed %-escape
	tokenInURL bool   // token_auth came in the request URL
	rawQuery   string // URL query text of the hit (single hits only)
	rawBody    string // form body or bulk entry query text
}

func (p *params) present(f field) bool { return p.has&(1<<f) != 0 }

func (p *params) setRaw(f field, v string, escaped bool) {
	p.v[f] = v
	p.has |= 1 << f
	if escaped {
		p.escaped |= 1 << f
	} else {
		p.escaped &^= 1 << f
	}
}

// get returns the decoded value of f ("" when absent).
func (p *params) get(f field) string {
	v := p.v[f]
	if p.escaped&(1<<f) == 0 {
		return v
	}
	d, _ := unescape(v)
	return d
}

// raw is the value of f as received, possibly URL-encoded.
func (p *params) raw(f field) raw { return raw{p.v[f], p.escaped&(1<<f) != 0} }

// appendDecoded appends the decoded value of f to dst. It lets checks read
// URLs without allocating a string for them.
func (p *params) appendDecoded(dst []byte, f field) []byte {
	v := p.v[f]
	if p.escaped&(1<<f) == 0 {
		return append(dst, v...)
	}
	d, _ := appendUnescape(dst, v)
	return d
}

// cdt parses the cdt parameter. A generator URL-encodes its space and
// colons; decoding into a stack buffer keeps that free of allocations.
func (p *params) cdt() (int64, bool) {
	var buf [32]byte
	return parseCdt(string(p.appendDecoded(buf[:0], fCdt)))
}

// blank reports whether the decoded value of f is empty or only spaces.
func (p *params) blank(f field, scratch *[]byte) bool {
	*scratch = p.appendDecoded((*scratch)[:0], f)
	return len(bytes.TrimSpace(*scratch)) == 0
}

// parseQuery reads an application/x-www-form-urlencoded text. Later values
// of a key win, as in PHP. Malformed escapes are kept as written (PHP's
// urldecode does the same) and flagged for the query_encoding rule.
func (p *params) parseQuery(q string, fromURL bool) {
	for q != "" {
		var pair string
		if i := strings.IndexByte(q, '&'); i >= 0 {
			pair, q = q[:i], q[i+1:]
		} else {
			pair, q = q, ""
		}
		if pair == "" {
			continue
		}
		key, val := pair, ""
		if i := strings.IndexByte(pair, '='); i >= 0 {
			key, val = pair[:i], pair[i+1:]
		}
		if needsUnescape(key) {
			k, ok := unescape(key)
			if !ok {
				p.badEscape = true
			}
			key = k
		}
		esc, valid := scanEscapes(val)
		if !valid {
			p.badEscape = true
		}
		f, ok := fieldOf(key)
		if !ok {
			continue
		}
		p.setRaw(f, val, esc)
		if f == fToken && fromURL {
			p.tokenInURL = true
		}
	}
}

// values returns every parameter of the hit, for the OnHit hook and the
// log, decoded as the sink reads them (leniently, like PHP).
func (p *params) values(objectEntry []kv) url.Values {
	v := url.Values{}
	if objectEntry != nil {
		for _, e := range objectEntry {
			v[e.key] = []string{e.val}
		}
		return v
	}
	// URL values win over body values, as in Matomo ($_GET + $_POST).
	addQuery(v, p.rawBody)
	fromURL := url.Values{}
	addQuery(fromURL, p.rawQuery)
	for k, vs := range fromURL {
		v[k] = vs
	}
	return v
}

func addQuery(v url.Values, q string) {
	for _, pair := range strings.Split(q, "&") {
		if pair == "" {
			continue
		}
		key, val, _ := strings.Cut(pair, "=")
		key, _ = unescape(key)
		val, _ = unescape(val)
		v[key] = append(v[key], val)
	}
}

func needsUnescape(s string) bool {
	return strings.IndexByte(s, '%') >= 0 || strings.IndexByte(s, '+') >= 0
}

// unescape decodes a query component: "+" is a space, "%XX" a byte. A
// malformed escape is kept literally and reported with ok=false.
func unescape(s string) (string, bool) {
	if !needsUnescape(s) {
		return s, true
	}
	b, ok := appendUnescape(make([]byte, 0, len(s)), s)
	return string(b), ok
}

func appendUnescape(dst []byte, s string) ([]byte, bool) {
	ok := true
	n := len(dst)
	dst = slices.Grow(dst, len(s))[:n+len(s)] // decoding never lengthens
	j := n
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '+':
			c = ' '
		case '%':
			if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				c = unhex(s[i+1])<<4 | unhex(s[i+2])
				i += 2
			} else {
				ok = false
			}
		}
		dst[j] = c
		j++
	}
	return dst[:j], ok
}

// scanEscapes tells whether s needs decoding and whether its %-escapes
// are well formed, in one pass of the fast IndexByte search.
func scanEscapes(s string) (escaped, valid bool) {
	escaped = strings.IndexByte(s, '+') >= 0
	for i := strings.IndexByte(s, '%'); i >= 0; {
		escaped = true
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return true, false
		}
		next := strings.IndexByte(s[i+3:], '%')
		if next < 0 {
			break
		}
		i += 3 + next
	}
	return escaped, true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}
