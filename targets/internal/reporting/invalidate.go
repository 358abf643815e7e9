package reporting

import "encoding/json"

// InvalidateError is why an answer of CoreAdminHome.invalidateArchivedReports
// is not a success.
type InvalidateError struct {
	// Refused is Matomo's message when it answered {"result":"error"}; ""
	// when the answer was not JSON.
	Refused string
}

func (e *InvalidateError) Error() string {
	if e.Refused != "" {
		return "invalidateArchivedReports refused: " + e.Refused
	}
	return "invalidateArchivedReports: the answer is not JSON"
}

// InvalidateAnswer reads the answer of CoreAdminHome.invalidateArchivedReports
// (HTTP 200). Matomo 5 answers a success with a JSON array of one message
// ("Success. The following dates were invalidated successfully: ...");
// older versions and errors answer an object {"result": ..., "message":
// ...}. Anything else that is JSON is taken as success. The matomo kind's
// backfill and this package's Client share it.
func InvalidateAnswer(answer []byte) error {
	var messages []string
	if json.Unmarshal(answer, &messages) == nil {
		return nil
	}
	var a struct {
		Result  string `json:"result"`
		Message string `json:"message"`
	}
	if json.Unmarshal(answer, &a) != nil {
		return &InvalidateError{}
	}
	if a.Result == "error" {
		msg := oneLine(a.Message)
		if msg == "" {
			msg = "no message"
		}
		return &InvalidateError{Refused: msg}
	}
	return nil
}
