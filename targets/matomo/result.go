package matomo

import "time"

// Result accounts for the hits of one Send call. Every hit handed to the
// Send is counted exactly once in OK, Rejected, Failed or Unknown (so
// OK+Rejected+Failed+Unknown == Hits), whatever happened, cancellation
// included; docs/delivery.md gives the rules:
//   - OK: Matomo answered success for it (which is not proof it was
//     recorded: excluded hits are answered as success too);
//   - Rejected: Matomo refused it (4xx other than 429, or "invalid" in a
//     bulk answer); retrying would not help;
//   - Failed: provably not recorded: the connection failed before any byte
//     of the request was written, or the last answer was one Matomo sends
//     without recording (429, 5xx: a bulk body is one transaction, rolled
//     back), a redirect, or the caller cancelled before the request was
//     written. A caller that never hands a hit to Send counts it itself
//     (the runner's "unsent"): Send never sees it;
//   - Unknown: the request was written and no answer came (timeout, reset,
//     cancellation after the write): Matomo may or may not have recorded
//     it. With AtLeastOnce, a hit that was sent again after such an
//     attempt and does not end OK is Unknown too.
//
// Hence OK <= hits Matomo recorded <= OK + Unknown.
type Result struct {
	Hits                 int
	OK, Rejected, Failed int
	Unknown              int           // sent, no answer known: Matomo may have recorded them
	Status               int           // HTTP status of the last attempt, 0 on a transport error
	Attempts             int           // 1 + retries
	Latency              time.Duration // of the last attempt, answer read included
	Err                  error         // last error (an *Error), nil when Matomo answered success; never contains the token
	ErrKind              string        // one of the Kind constants; "" with Err nil, even if a bulk answer counted invalid hits
}

// settle moves the hits that did not end OK to Unknown when an earlier
// attempt may have recorded them (AtLeastOnce): a refusal of the repeat
// (a duplicate order is answered 400) or a failure of the last attempt
// says nothing about the first. OK stays OK: Matomo answered success.
func (r Result) settle(mayBeRecorded bool) Result {
	if mayBeRecorded {
		r.Unknown += r.Rejected + r.Failed
		r.Rejected, r.Failed = 0, 0
	}
	return r
}
