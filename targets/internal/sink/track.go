package sink

import (
	"io"
	"net/http"
	"slices"
	"strconv"
)

// transparentGIF is Matomo's 1×1 response image (43 bytes).
var transparentGIF = []byte{
	0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
}

// Header values shared by every response; net/http only reads them.
var (
	hdrGIF     = []string{"image/gif"}
	hdrGIFLen  = []string{strconv.Itoa(len(transparentGIF))}
	hdrJSON    = []string{"application/json"}
	hdrText    = []string{"text/plain; charset=utf-8"}
	hdrHTML    = []string{"text/html; charset=utf-8"}
	matomoPage = "This resource is part of Matomo (here: the trafficinator sink).\n"
)

// track answers a tracking request: one hit in the URL and/or a form body,
// or a bulk JSON body.
func (s *Sink) track(w http.ResponseWriter, r *http.Request) {
	s.ctr.requests.Add(1)
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		s.failRequest(w, errMethod, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	rs := s.getState()
	defer s.putState(rs)
	now := s.now().Unix()

	var body string
	if r.Method == http.MethodPost {
		b, release, ok := s.readBody(w, r, rs)
		defer release()
		if !ok {
			return
		}
		body = b
	}
	if isBulk(body) {
		s.trackBulk(w, r, rs, body, now)
		return
	}
	if body == "" && r.URL.RawQuery == "" {
		// Matomo shows a page for a bare GET and answers 400 to an empty POST.
		if r.Method == http.MethodGet {
			s.ctr.requestErrors[errEmpty].Add(1)
			w.Header()["Content-Type"] = hdrHTML
			s.ctr.response(http.StatusOK)
			io.WriteString(w, matomoPage)
			return
		}
		s.failRequest(w, errEmpty, http.StatusBadRequest, "empty request")
		return
	}

	p := &rs.p
	*p = params{rawQuery: r.URL.RawQuery, rawBody: body}
	// URL parameters win over body parameters, as in Matomo ($_GET + $_POST).
	p.parseQuery(body, false)
	p.parseQuery(r.URL.RawQuery, true)
	in := hitInput{p: p, r: r, now: now}
	rs.tally.hits++
	res := s.handleHit(rs, &in)
	s.afterHit(rs, &in, res)
	s.ctr.flush(&rs.tally)
	s.log.write(rs.logBuf)

	h := w.Header()
	switch {
	case res.out == outRejected:
		h["Content-Type"] = hdrText
		s.ctr.response(http.StatusBadRequest)
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, "trafficinator sink: "+rejectNames[res.reason]+"\n")
	case p.get(fSendImage) == "0":
		s.ctr.response(http.StatusNoContent)
		w.WriteHeader(http.StatusNoContent)
	default:
		h["Content-Type"] = hdrGIF
		h["Content-Length"] = hdrGIFLen
		s.ctr.response(http.StatusOK)
		w.Write(transparentGIF)
	}
}

// trackBulk answers a bulk body: every entry is a hit of its own; the
// answer counts the tracked and invalid ones.
func (s *Sink) trackBulk(w http.ResponseWriter, r *http.Request, rs *reqState, body string, now int64) {
	s.ctr.bulkRequests.Add(1)
	if err := parseBulk(body, &rs.bulk); err != nil {
		s.failRequest(w, errBadBulk, http.StatusBadRequest, err.Error())
		return
	}
	b := &rs.bulk
	rs.invalid = slices.Grow(rs.invalid[:0], len(b.entries)) // one allocation at most
	tracked := 0
	rs.tally.dropped += int64(b.dropped)
	for _, e := range b.entries {
		p := &rs.p
		var obj []kv
		switch e.kind {
		case entryQuery, entryQueryDecoded:
			q := b.query(e)
			*p = params{rawBody: q}
			p.parseQuery(q, false)
		case entryObject:
			*p = params{}
			obj = b.kvs[e.a:e.b:e.b]
			for _, kv := range obj {
				if f, ok := fieldOf(kv.key); ok {
					p.setRaw(f, kv.val, false)
				}
			}
		}
		rs.tally.hits++
		in := hitInput{p: p, obj: obj, bulkToken: b.token, r: r, now: now}
		res := s.handleHit(rs, &in)
		if res.out == outRejected {
			rs.invalid = append(rs.invalid, e.index)
		} else {
			tracked++
		}
		s.afterHit(rs, &in, res)
	}
	s.ctr.flush(&rs.tally)
	s.log.write(rs.logBuf)

	if b.hasSendImage && (b.sendImage == "0") {
		s.ctr.response(http.StatusNoContent)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	// One allocation at most: room for every index at its longest.
	out := slices.Grow(rs.out[:0], 96+len(rs.invalid)*(len(strconv.Itoa(int(b.count)))+1))
	out = append(out, `{"status":"success","tracked":`...)
	out = strconv.AppendInt(out, int64(tracked), 10)
	out = append(out, `,"invalid":`...)
	out = strconv.AppendInt(out, int64(len(rs.invalid)), 10)
	out = append(out, `,"invalid_indices":[`...)
	for j, i := range rs.invalid {
		if j > 0 {
			out = append(out, ',')
		}
		out = strconv.AppendInt(out, int64(i), 10)
	}
	out = append(out, "]}\n"...)
	rs.out = out
	w.Header()["Content-Type"] = hdrJSON
	s.ctr.response(http.StatusOK)
	w.Write(out)
}

// isBulk: Matomo treats a POST body holding a JSON object as bulk.
func isBulk(body string) bool {
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case ' ', '\t', '\r', '\n':
			continue
		case '{':
			return true
		}
		return false
	}
	return false
}

func (s *Sink) failRequest(w http.ResponseWriter, which, status int, msg string) {
	s.ctr.requestErrors[which].Add(1)
	s.ctr.response(status)
	w.Header()["Content-Type"] = hdrText
	w.WriteHeader(status)
	io.WriteString(w, "trafficinator sink: "+msg+"\n")
}

// afterHit feeds the optional hook and log. Both are skipped entirely when
// unset, so they cost nothing on the hot path.
func (s *Sink) afterHit(rs *reqState, in *hitInput, res hitResult) {
	if s.onHit != nil && res.out != outRejected {
		s.onHit(res.site, in.p.values(in.obj))
	}
	if s.log != nil {
		rs.logBuf = s.logLine(rs.logBuf, in, res)
	}
}
