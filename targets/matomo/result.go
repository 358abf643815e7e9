package matomo

import "time"

// Result accounts for the hits of one Send call. Every hit is counted
// exactly once in OK, Rejected or Failed:
//   - OK: Matomo answered success for it (which is not proof it was
//     recorded: excluded hits are answered as success too);
//   - Rejected: Matomo refused it (4xx other than 429, or "invalid" in a
//     bulk answer); retrying would not help;
//   - Failed: no usable answer (network error, 429/5xx after the last
//     attempt, redirect, cancellation).
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
