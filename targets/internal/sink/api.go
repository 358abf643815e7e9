package sink

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The Reporting API at /index.php: the methods of Matomo's API that
// delivery verification reads, computed from what the sink recorded, with
// the JSON shapes of Matomo 5.0.2 (docs/sink.md lists them). Reports are
// in api_reports.go, Live in api_live.go, periods in api_dates.go.

// apiVersion is the Matomo version the sink's answers imitate.
const apiVersion = "5.0.2"

// maxAPIBody bounds a POSTed API request; real ones are a few hundred bytes.
const maxAPIBody = 64 << 10

// apiError is an answer of Matomo's JSON error shape.
type apiError struct {
	Result  string `json:"result"`
	Message string `json:"message"`
}

func errorf(format string, args ...any) *apiError {
	return &apiError{Result: "error", Message: fmt.Sprintf(format, args...)}
}

// apiQuery is a request's parameters: URL parameters win over form ones,
// as in Matomo ($_GET + $_POST).
type apiQuery struct {
	url, form url.Values
}

func (q apiQuery) get(name string) string {
	if v, ok := q.url[name]; ok && len(v) > 0 {
		return v[len(v)-1]
	}
	if v, ok := q.form[name]; ok && len(v) > 0 {
		return v[len(v)-1]
	}
	return ""
}

// apiMethods answers each method: a value to encode as JSON, or an
// *apiError.
var apiMethods = map[string]func(s *Sink, q apiQuery) any{
	"API.getMatomoVersion":                    func(*Sink, apiQuery) any { return map[string]string{"value": apiVersion} },
	"SitesManager.getSiteFromId":              (*Sink).apiSite,
	"VisitsSummary.get":                       (*Sink).apiVisitsSummary,
	"Actions.get":                             (*Sink).apiActions,
	"Events.getCategory":                      (*Sink).apiEvents,
	"Goals.get":                               (*Sink).apiGoals,
	"Referrers.getReferrerType":               (*Sink).apiReferrerTypes,
	"UserCountry.getCountry":                  (*Sink).apiCountries,
	"Live.getCounters":                        (*Sink).apiLiveCounters,
	"Live.getLastVisitsDetails":               (*Sink).apiLastVisits,
	"CoreAdminHome.invalidateArchivedReports": (*Sink).apiInvalidate,
}

// serveAPI answers GET or POST /index.php?module=API&method=...; every
// format is answered as JSON. A token_auth that is valid for no site gets
// Matomo's HTML error page.
func (s *Sink) serveAPI(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	q, err := readAPIQuery(w, r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, errorf("%s", s.scrubTokens(err.Error())))
		return
	}
	status, answer := s.answerAPI(q)
	if e, ok := answer.(*apiError); ok {
		// Messages quote parameters; a token put in one must not show.
		e.Message = s.scrubTokens(e.Message, q.get("token_auth"))
	}
	if status == http.StatusUnauthorized {
		w.Header()["Content-Type"] = hdrHTML
		w.WriteHeader(status)
		io.WriteString(w, badTokenPage)
		return
	}
	writeJSON(w, status, answer)
}

func readAPIQuery(w http.ResponseWriter, r *http.Request) (apiQuery, error) {
	q := apiQuery{url: r.URL.Query()}
	if r.Method == http.MethodPost {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAPIBody))
		if err != nil {
			return q, fmt.Errorf("request body: %v", err)
		}
		if q.form, err = url.ParseQuery(string(body)); err != nil {
			return q, fmt.Errorf("request body is not a form: %v", err)
		}
	}
	return q, nil
}

// answerAPI decides the answer to one request: a status and the value to
// encode (401 means the HTML page of a bad token).
func (s *Sink) answerAPI(q apiQuery) (int, any) {
	if m := q.get("module"); m != "API" {
		return http.StatusBadRequest, errorf("This is the Reporting API of the trafficinator sink: module=API is required, got module=%q.", m)
	}
	if !s.tokenKnown(q.get("token_auth")) {
		return http.StatusUnauthorized, nil
	}
	method := q.get("method")
	f := apiMethods[method]
	if f == nil {
		module, _, _ := strings.Cut(method, ".")
		return http.StatusOK, errorf("The method '%s' does not exist or is not available in the module '\\Piwik\\Plugins\\%s\\API'.", method, module)
	}
	return http.StatusOK, f(s, q)
}

// tokenKnown: a token, when given, must be valid for some site, as in
// Matomo. A sink without any tokens accepts every token.
func (s *Sink) tokenKnown(token string) bool {
	if token == "" {
		return true
	}
	any := false
	for i := range s.sites {
		if len(s.sites[i].tokens) > 0 {
			any = true
			if tokenValid(s.sites[i].tokens, token) {
				return true
			}
		}
	}
	return !any
}

// siteFor reads a site id parameter and checks the view access of the
// request's token: a site with tokens needs one of them.
func (s *Sink) siteFor(q apiQuery, param string) (int, *apiError) {
	raw := q.get(param)
	id, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || id <= 0 {
		return 0, errorf("The parameter '%s' is not a valid site id: '%s'.", param, raw)
	}
	for i := range s.sites {
		if s.sites[i].id != id {
			continue
		}
		if len(s.sites[i].tokens) > 0 && !tokenValid(s.sites[i].tokens, q.get("token_auth")) {
			return 0, errorf("You can't access this resource as it requires 'view' access for the website id = %d.", id)
		}
		return i, nil
	}
	return 0, errorf("An unexpected website was found in the request: website id was set to '%d' .", id)
}

// reportingURL is the index.php beside a tracking URL ending in /matomo.php.
func reportingURL(trackingURL string) string {
	return strings.TrimSuffix(trackingURL, "matomo.php") + "index.php"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header()["Content-Type"] = hdrJSON
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// badTokenPage is Matomo 5.0.2's error page for a wrong token_auth
// (testdata/matomo-api/error.bad-token.html), whatever the format asked.
const badTokenPage = `<!DOCTYPE html>
<html>
<head>
	<meta charset="utf-8">
	<meta name="robots" content="noindex,nofollow">
	<title>Matomo &rsaquo; Error</title>
</head>
<body id="simple">
<div class="box">
	<div class="header">
		<h1>An error occurred</h1>
	</div>
	<div class="content"><h2>Unable to authenticate with the provided token. It is either invalid or expired.</h2><p><a href="javascript:window.history.back();">Go Back</a> | <a href="index.php">Go to Matomo</a></p></div>
	<div class="footer">
		<a href="index.php">&laquo; Back to Matomo</a>
	</div>
</div>
</body>
</html>
`
