package matomo

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/trafficinator/trafficinator/targets/internal/reporting"
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
	return invalidateAnswer(answer, c.red.Scrub)
}

// invalidateAnswer reads the API's answer with the reporting package's
// reader (shared with verification), keeping this kind's messages: a
// refusal's text is Matomo's, scrubbed of the token and cut to one line.
func invalidateAnswer(answer []byte, scrub func(string) string) error {
	err := reporting.InvalidateAnswer(answer)
	var ie *reporting.InvalidateError
	if errors.As(err, &ie) && ie.Refused != "" {
		return errors.New(scrub("invalidateArchivedReports refused: " + oneLine(ie.Refused, 200)))
	}
	return err
}
