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
	var a struct {
		Result  string `json:"result"`
		Message string `json:"message"`
	}
	if json.Unmarshal(answer, &a) != nil {
		return errors.New("invalidateArchivedReports: the answer is not JSON")
	}
	if a.Result == "error" {
		return errors.New(c.red.scrub("invalidateArchivedReports refused: " + oneLine(a.Message, 200)))
	}
	return nil
}
