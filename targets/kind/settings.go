package kind

// Settings is the configuration of one target: decided once, when the plan
// is compiled, and carried as this one value to the target's kind. The plan
// embeds it, so that its JSON is the plan's (secrets shown [redacted]).
type Settings struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	// URL is where the hits go: an http(s) endpoint for matomo, file:PATH
	// for file, empty for sink.
	URL     URL    `json:"url,omitempty"`
	SiteID  int    `json:"site_id"`
	SiteURL URL    `json:"site_url,omitempty"`
	APIURL  URL    `json:"api_url,omitempty"`
	Token   Secret `json:"token_auth"`
	// VerifyToken reads the Reporting API for verification (docs/verify.md);
	// the plan resolves its default, Token.
	VerifyToken Secret `json:"verify_token,omitempty"`
	// Bulk is the hits per bulk request; 0 sends one request per hit.
	Bulk int `json:"bulk"`
	// Delivery is at_most_once or at_least_once (docs/delivery.md).
	Delivery           string            `json:"delivery"`
	Timeout            Duration          `json:"timeout"`
	InsecureSkipVerify bool              `json:"insecure_skip_verify"`
	Headers            map[string]Secret `json:"headers,omitempty"`
	// IPHeader is the HTTP header that carries each visit's IP instead of
	// cip (which needs Token), e.g. X-Forwarded-For; "" sends none.
	IPHeader string `json:"ip_header,omitempty"`
}
