package matomo

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"time"
)

const (
	formType  = "application/x-www-form-urlencoded"
	jsonType  = "application/json"
	maxAnswer = 64 << 10 // bytes of an answer read (and drained) at most
	opTrack   = "POST"
)

// SendOne sends one hit. query is its URL-encoded parameters without '?'
// and without token_auth; the token is appended to the POST body, so it
// never appears in a URL. ua is the visitor's User-Agent.
func (c *Client) SendOne(ctx context.Context, query string, ua string) Result {
	body := getBody()
	defer body.release()
	query, ip := trimQuestion(query), ""
	if c.cfg.IPHeader != "" {
		query, ip = cutCIP(query)
	}
	body.b = append(body.b, query...)
	if c.token != "" {
		if len(body.b) > 0 {
			body.b = append(body.b, '&')
		}
		body.b = append(body.b, "token_auth="...)
		body.b = append(body.b, c.token...)
	}
	return c.send(ctx, body, formType, ua, ip, 1, false)
}

// SendBulk sends the hits of one visit, in chronological order, as one bulk
// request. OK and Rejected follow Matomo's answer ("tracked", "invalid")
// when it can be read; a 204 or an unreadable 200 answer counts every hit
// as OK.
func (c *Client) SendBulk(ctx context.Context, queries []string, ua string) Result {
	if len(queries) == 0 {
		return Result{}
	}
	body := getBody()
	defer body.release()
	body.b = appendBulkBody(body.b, queries, c.cfg.Token)
	return c.send(ctx, body, jsonType, ua, "", len(queries), true)
}

// outcome is what one attempt ended with.
type outcome struct {
	status      int
	latency     time.Duration
	verdict     verdict
	written     bool // a transport error came after the request was (perhaps partly) written
	ok, reject  int  // when settled; the rest of the hits are Failed
	retryAfter  time.Duration
	hasRetryAft bool
	kind        string
	err         error
}

// send makes attempts until one settles the hits, the delivery rules
// forbid another, or the attempts run out (delivery.go).
func (c *Client) send(ctx context.Context, body *pooledBody, ctype, ua, ip string, hits int, bulk bool) Result {
	res := Result{Hits: hits}
	pol := c.cfg.Retry
	// mayBeRecorded: an earlier attempt was written and got no answer
	// (at-least-once only): whatever happens next, the hits that do not
	// end OK may have been recorded by it.
	mayBeRecorded := false
	for {
		res.Attempts++
		o := c.attempt(ctx, body, ctype, ua, ip, hits, bulk)
		res.Status, res.Latency, res.ErrKind, res.Err = o.status, o.latency, o.kind, o.err
		switch o.verdict {
		case settled:
			res.OK, res.Rejected = o.ok, o.reject
			res.Failed = hits - o.ok - o.reject
			return settle(res, mayBeRecorded)
		case unsure:
			res.Unknown = hits
			return res
		}
		// Sent again after it was written (at-least-once only).
		mayBeRecorded = mayBeRecorded || o.written
		if res.Attempts >= pol.MaxAttempts {
			res.Failed = hits
			return settle(res, mayBeRecorded)
		}
		delay := pol.backoff(res.Attempts)
		if o.hasRetryAft {
			delay = o.retryAfter
		}
		if err := c.sleep(ctx, delay); err != nil {
			res.ErrKind = KindCanceled
			res.Err = c.red.newError(KindCanceled, res.Status, opTrack, c.endpoint, "canceled before attempt "+strconv.Itoa(res.Attempts+1), err)
			res.Failed = hits
			return settle(res, mayBeRecorded)
		}
	}
}

// attempt makes one request and reads its answer.
func (c *Client) attempt(ctx context.Context, body *pooledBody, ctype, ua, ip string, hits int, bulk bool) outcome {
	start := time.Now()
	wt := newWriteTrace()
	resp, err := c.do(ctx, c.url, ctype, ua, ip, body, wt)
	if err != nil {
		cause := transportCause(err)
		kind := classify(ctx, cause)
		written := wt.written()
		detail := kind
		if written {
			detail += " after the request was sent"
		}
		return outcome{latency: time.Since(start), kind: kind, written: written,
			verdict: c.cfg.Delivery.transportVerdict(kind, cause, written),
			err:     c.red.newError(kind, 0, opTrack, c.endpoint, detail, cause)}
	}
	status := resp.StatusCode
	o := outcome{status: status, verdict: c.cfg.Delivery.statusVerdict(status)}
	switch {
	case bulk && status == http.StatusOK:
		o.ok, o.reject, o.kind, o.err = c.readBulkAnswer(resp.Body, hits)
	case status >= 200 && status < 300:
		drain(resp.Body)
		o.ok = hits
	case o.verdict == again:
		drain(resp.Body)
		if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
			o.retryAfter, o.hasRetryAft = retryAfter(resp.Header, time.Now(), c.cfg.Retry.MaxDelay)
		}
	case status >= 400 && status < 500:
		drain(resp.Body)
		o.reject = hits
	default: // 1xx, 3xx (never reached the tracker), 5xx (not recorded)
		drain(resp.Body)
	}
	if o.kind == "" && (status < 200 || status >= 300) {
		o.kind = statusKind(status)
		o.err = c.red.newError(o.kind, status, opTrack, c.endpoint, statusDetail(status), nil)
	}
	resp.Body.Close()
	o.latency = time.Since(start)
	return o
}

// readBulkAnswer splits the hits of a bulk request answered 200.
func (c *Client) readBulkAnswer(r io.Reader, hits int) (ok, rejected int, kind string, err error) {
	buf := getBody()
	defer buf.release()
	buf.b = readAppend(buf.b, io.LimitReader(r, maxAnswer))
	drain(r)
	a, parsed := parseBulkAnswer(buf.b)
	switch {
	case !parsed:
		return hits, 0, "", nil
	case a.Status == "error":
		return 0, hits, KindBulkError, c.red.newError(KindBulkError, http.StatusOK, opTrack, c.endpoint, `bulk answered status "error"`, nil)
	}
	ok, rejected = a.splitBulk(hits)
	return ok, rejected, "", nil
}

// drain reads what is left of an answer so the connection can be reused.
func drain(r io.Reader) { _, _ = io.Copy(io.Discard, io.LimitReader(r, maxAnswer)) }

// readAppend appends everything r yields to b; read errors end the read
// (a truncated answer is handled by the parser).
func readAppend(b []byte, r io.Reader) []byte {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			return b
		}
	}
}
