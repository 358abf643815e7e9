package sink

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"
	"time"
)

// hitLog writes the JSON lines of Config.Log. Each request's lines are
// written in one call, under a lock, so lines never interleave.
type hitLog struct {
	mu  sync.Mutex
	w   io.Writer
	err error // the first write error; later lines are dropped
}

func (l *hitLog) write(b []byte) {
	if l == nil || len(b) == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		_, l.err = l.w.Write(b)
	}
}

func (l *hitLog) failure() error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// logRecord is one line of the hit log.
type logRecord struct {
	Time     string            `json:"time"` // server time of receipt, RFC 3339 UTC
	Site     int               `json:"site"` // 0 when idsite is not a site of the sink
	Outcome  string            `json:"outcome"`
	Reason   string            `json:"reason,omitempty"`
	Adjusted string            `json:"adjusted,omitempty"`
	Rules    []string          `json:"rules,omitempty"`
	Params   map[string]string `json:"params"`
}

var outcomeNames = [...]string{outRecorded: "recorded", outExcluded: "excluded", outRejected: "rejected", outDropped: "dropped"}

// logLine appends the log line of a hit to dst.
func (s *Sink) logLine(dst []byte, in *hitInput, res hitResult) []byte {
	rec := logRecord{
		Time:    time.Unix(in.now, 0).UTC().Format(time.RFC3339),
		Site:    res.site,
		Outcome: outcomeNames[res.out],
		Rules:   ruleList(res.rules),
		Params:  map[string]string{},
	}
	switch res.out {
	case outRejected:
		rec.Reason = rejectNames[res.reason]
	case outExcluded:
		rec.Reason = exclusionNames[res.reason]
	case outDropped:
		rec.Reason = "drop_visits"
	}
	if res.adjust >= 0 {
		rec.Adjusted = adjustmentNames[res.adjust]
	}
	for k, vs := range in.p.values(in.obj) {
		v := vs[len(vs)-1] // the value Matomo uses
		if k == "token_auth" {
			v = redacted
		}
		// Keys are scrubbed too: a token can be sent as a parameter name.
		rec.Params[s.scrubTokens(k, in.bulkToken, in.p.get(fToken))] = s.scrubTokens(v, in.bulkToken, in.p.get(fToken))
	}
	buf := bytes.NewBuffer(dst)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)                // keep URLs and query strings readable
	if err := enc.Encode(rec); err != nil { // cannot happen: strings and ints only
		return dst
	}
	return buf.Bytes() // Encode ends the line
}

func ruleList(broken uint32) []string {
	var out []string
	for r := rule(0); r < numRules; r++ {
		if broken&(1<<r) != 0 {
			out = append(out, ruleNames[r])
		}
	}
	return out
}
