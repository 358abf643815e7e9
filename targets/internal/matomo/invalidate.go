package matomo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Invalidate asks Matomo to invalidate the archived reports of siteID for
// the given days (YYYY-MM-DD), through the Reporting API method
// CoreAdminHome.invalidateArchivedReports, so that data sent with old cdt
// values shows in reports once the archives are rebuilt (by the next
// core:archive run, or browser-triggered archiving). The token travels in
// the POST body, like every token this client sends.
func (c *Client) Invalidate(ctx context.Context, siteID int, days []string) error {
	if c.cfg.Token == "" {
		return errors.New("invalidating archives needs token_auth")
	}
	if len(days) == 0 {
		return nil
	}
	form := url.Values{}
	form.Set("module", "API")
	form.Set("method", "CoreAdminHome.invalidateArchivedReports")
	form.Set("idSites", strconv.Itoa(siteID))
	form.Set("dates", strings.Join(days, ","))
	form.Set("period", "day")
	form.Set("format", "JSON")
	form.Set("token_auth", c.cfg.Token)
	status, answer, err := c.postForm(ctx, c.apiURL, form.Encode(), true)
	if err != nil {
		return err
	}
	if status != 200 {
		return fmt.Errorf("invalidateArchivedReports answered HTTP %d", status)
	}
	return invalidateAnswer(answer, c.red.scrub)
}

// invalidateAnswer reads the API's answer. Matomo 5 answers a successful
// invalidation with a JSON array of messages ("Success. The following dates
// were invalidated successfully: ..."); older versions and errors answer an
// object {"result": ..., "message": ...}. Anything else that is JSON is taken
// as success, since the HTTP status was 200.
func invalidateAnswer(answer []byte, scrub func(string) string) error {
	var messages []string
	if json.Unmarshal(answer, &messages) == nil {
		return nil
	}
	var a struct {
		Result  string `json:"result"`
		Message string `json:"message"`
	}
	if json.Unmarshal(answer, &a) != nil {
		return errors.New("invalidateArchivedReports: the answer is not JSON")
	}
	if a.Result == "error" {
		return errors.New(scrub("invalidateArchivedReports refused: " + oneLine(a.Message, 200)))
	}
	return nil
}
