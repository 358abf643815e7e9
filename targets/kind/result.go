package kind

import "time"

// Result accounts for the hits of one Send call. Every hit handed to the
// Send is counted exactly once in OK, Rejected, Failed or Unknown (so
// OK+Rejected+Failed+Unknown == Hits), whatever happened, cancellation
// included; docs/delivery.md gives the rules:
//   - OK: the target answered success for it (for Matomo, which is not
//     proof it was recorded: excluded hits are answered as success too);
//   - Rejected: the target refused it (4xx other than 429, or "invalid" in
//     a bulk answer); retrying would not help;
//   - Failed: provably not recorded: the connection failed before any byte
//     of the request was written, or the last answer was one Matomo sends
//     without recording (429, 5xx: a bulk body is one transaction, rolled
//     back), a redirect, or the caller cancelled before the request was
//     written. A caller that never hands a hit to Send counts it itself
//     (the runner's "unsent"): Send never sees it;
//   - Unknown: the request was written and no answer came (timeout, reset,
//     cancellation after the write): the target may or may not have
//     recorded it. A hit that was sent again after such an attempt and
//     does not end OK is Unknown too.
//
// Hence OK <= hits recorded <= OK + Unknown.
type Result struct {
	Hits                 int
	OK, Rejected, Failed int
	Unknown              int           // sent, no answer known: the target may have recorded them
	Status               int           // HTTP status of the last attempt, 0 on a transport error or without HTTP
	Attempts             int           // 1 + retries
	Latency              time.Duration // of the last attempt, answer read included
	Err                  error         // last error, nil on success; never contains a secret
	ErrKind              string        // a short error class for reports ("timeout", "http_5xx", ...); "" with Err nil
}
