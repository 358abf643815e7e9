package matomo

import "github.com/trafficinator/trafficinator/targets/kind"

// Result accounts for the hits of one Send call: the target-kind
// contract's result (targets/kind.Result documents the rules). For Matomo:
//   - OK: Matomo answered success for it (which is not proof it was
//     recorded: excluded hits are answered as success too);
//   - Rejected: 4xx other than 429, or "invalid" in a bulk answer;
//   - Failed: the connection failed before any byte of the request was
//     written, or the last answer was one Matomo sends without recording
//     (429, 5xx: a bulk body is one transaction, rolled back), a redirect,
//     or the caller cancelled before the request was written;
//   - Unknown: the request was written and no answer came. With
//     AtLeastOnce, a hit that was sent again after such an attempt and
//     does not end OK is Unknown too.
//
// Err is an *Error and ErrKind one of the Kind constants.
type Result = kind.Result

// settle moves the hits that did not end OK to Unknown when an earlier
// attempt may have recorded them (AtLeastOnce): a refusal of the repeat
// (a duplicate order is answered 400) or a failure of the last attempt
// says nothing about the first. OK stays OK: Matomo answered success.
func settle(r Result, mayBeRecorded bool) Result {
	if mayBeRecorded {
		r.Unknown += r.Rejected + r.Failed
		r.Rejected, r.Failed = 0, 0
	}
	return r
}
