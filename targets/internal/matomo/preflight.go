package matomo

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/trafficinator/trafficinator/targets/internal/reporting"
)

// PreflightResult is what Preflight found out about a target.
type PreflightResult struct {
	Reachable bool          // the tracking endpoint answered 2xx
	TokenOK   *bool         // nil when there is no token or it could not be checked
	Status    int           // HTTP status of the tracking request, 0 on a transport error
	Latency   time.Duration // of the tracking request
	Version   string        // Matomo version, when the token was accepted
	Message   string        // one line for people; never contains the token
}

// Preflight checks a target without recording anything in Matomo:
//
//  1. Reachability: one POST to the tracking URL with idsite=<SiteID> and
//     send_image=0 but no rec=1. Matomo answers such a request (204) but
//     never records it. The token is not sent with it.
//  2. Token (only when Config.Token is set): one POST to the Reporting API
//     (Config.APIURL, default index.php next to the tracking URL) with
//     module=API&method=API.getMatomoVersion&format=JSON and token_auth, all
//     in the body. {"value":"5.x"} means the token is valid; an answer with
//     "result":"error" means it was refused. Anything else leaves TokenOK
//     nil. A valid token may still lack write access to SiteID: that shows
//     later as 400 answers to hits that need it (cdt, cip).
//
// Preflight makes no retries.
func (c *Client) Preflight(ctx context.Context) PreflightResult {
	var res PreflightResult
	var msgs []string

	form := "send_image=0"
	if c.cfg.SiteID > 0 {
		form = "idsite=" + strconv.Itoa(c.cfg.SiteID) + "&" + form
	}
	start := time.Now()
	status, _, err := c.postForm(ctx, c.url, form, false)
	res.Latency, res.Status = time.Since(start), status
	switch {
	case err != nil:
		msgs = append(msgs, "tracking endpoint unreachable: "+err.Error())
	case status >= 200 && status < 300:
		res.Reachable = true
		msgs = append(msgs, fmt.Sprintf("tracking endpoint answered HTTP %d", status))
	default:
		msgs = append(msgs, fmt.Sprintf("tracking endpoint answered HTTP %d (expected 200 or 204)", status))
	}

	if c.cfg.Token != "" {
		ok, version, msg := c.checkToken(ctx)
		res.TokenOK, res.Version = ok, version
		msgs = append(msgs, msg)
	}
	res.Message = c.red.Scrub(strings.Join(msgs, "; "))
	return res
}

// checkToken asks the Reporting API for the Matomo version with the token.
func (c *Client) checkToken(ctx context.Context) (ok *bool, version, msg string) {
	status, body, err := c.postForm(ctx, c.apiURL,
		"module=API&method=API.getMatomoVersion&format=JSON&token_auth="+c.token, true)
	if err != nil {
		return nil, "", "token not checked: " + err.Error()
	}
	var answer struct {
		Value   *string `json:"value"`
		Result  string  `json:"result"`
		Message string  `json:"message"`
	}
	if k, msg, ok := reporting.ErrorAnswer(body); ok && k == reporting.KindAuth {
		// A wrong token gets Matomo's HTML error page, whatever format says.
		return boolPtr(false), "", "token refused: " + oneLine(c.red.Scrub(msg), 200)
	}
	if json.Unmarshal(body, &answer) != nil {
		return nil, "", fmt.Sprintf("token not checked: the API at %s answered HTTP %d without JSON", displayURL(c.apiURL), status)
	}
	switch {
	case answer.Result == "error":
		return boolPtr(false), "", "token refused: " + oneLine(c.red.Scrub(answer.Message), 200)
	case status == http.StatusOK && answer.Value != nil:
		return boolPtr(true), *answer.Value, "token accepted (Matomo " + oneLine(*answer.Value, 40) + ")"
	}
	return nil, "", fmt.Sprintf("token not checked: unexpected API answer (HTTP %d)", status)
}

// postForm makes one form POST and returns the status and (when keep) up
// to maxAnswer bytes of the answer. err is already redacted.
func (c *Client) postForm(ctx context.Context, u *url.URL, form string, keep bool) (int, []byte, error) {
	body := getBody()
	defer body.release()
	body.b = append(body.b, form...)
	resp, err := c.do(ctx, u, formType, "Trafficinator preflight", "", body, nil)
	if err != nil {
		cause := transportCause(err)
		kind := classify(ctx, cause)
		return 0, nil, c.red.newError(kind, 0, opTrack, displayURL(u), kind, cause)
	}
	defer resp.Body.Close()
	var answer []byte
	if keep {
		answer, _ = io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	}
	drain(resp.Body)
	return resp.StatusCode, answer, nil
}

func boolPtr(b bool) *bool { return &b }

// oneLine shortens a server-provided text for a one-line message.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "") + "…"
	}
	return s
}
