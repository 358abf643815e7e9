package file

import (
	"strconv"
	"unsafe"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// encoder writes each hit as one JSON object (without the newline):
//
//	{"target":"t","visit":3,"hit":0,"kind":"pageview","ua":"…","cdt":"…","params":{"idsite":"1",…}}
//
// The parameters keep their send order, so that two runs diff line by line.
type encoder struct{ target string }

// secretParams are never written, should a visit model ever carry them.
var secretParams = map[string]bool{"token_auth": true}

// Encode implements kind.Encoder: one buffer for the visit's lines.
func (e encoder) Encode(v kind.Visit, payloads []string) func() {
	var buf []byte
	ends := make([]int, v.HitCount())
	for i := range ends {
		buf = e.appendLine(buf, v.Agent(), v.HitAt(i))
		ends[i] = len(buf)
	}
	all, start := unsafe.String(unsafe.SliceData(buf), len(buf)), 0
	for i, end := range ends {
		payloads[i] = all[start:end]
		start = end
	}
	return nil
}

func (e encoder) appendLine(b []byte, ua string, h kind.Hit) []byte {
	b = append(b, `{"target":`...)
	b = appendJSONString(b, e.target)
	b = append(b, `,"visit":`...)
	b = strconv.AppendUint(b, h.Visit, 10)
	b = append(b, `,"hit":`...)
	b = strconv.AppendInt(b, int64(h.Index), 10)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, h.Kind.String())
	b = append(b, `,"ua":`...)
	b = appendJSONString(b, ua)
	cdt, _ := h.Params.Get("cdt")
	b = append(b, `,"cdt":`...)
	b = appendJSONString(b, cdt)
	b = append(b, `,"params":{`...)
	first := true
	for _, p := range h.Params {
		if secretParams[p.Key] {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, p.Key)
		b = append(b, ':')
		b = appendJSONString(b, p.Value)
	}
	return append(b, "}}"...)
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			b = append(b, '\\', 'u', hex[r>>12&15], hex[r>>8&15], hex[r>>4&15], hex[r&15])
		default:
			b = append(b, string(r)...)
		}
	}
	return append(b, '"')
}
