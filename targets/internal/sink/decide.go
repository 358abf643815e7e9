package sink

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/trafficinator/trafficinator/targets/internal/matomodata"
)

// How the sink answers a hit, in the order Matomo decides:
//  1. 400 when Matomo rejects the hit (reject reasons below);
//  2. 400 in Strict mode when the hit breaks a rule;
//  3. success without recording for excluded hits (no rec=1, bots);
//  4. success with recording, possibly with a server-side change (a cdt in
//     the future or unreadable is replaced by the server time).
// Rule violations (rules.go) are counted for every hit, whatever the answer.

type outcome uint8

const (
	outRecorded outcome = iota
	outExcluded
	outRejected
	outDropped // answered as a success, dropped on purpose (Config.DropVisits)
)

// reject reasons: the hit is answered 400 and not recorded.
const (
	rejInvalidSite = iota
	rejInvalidCid
	rejCipWithoutToken
	rejCdtWithoutToken
	rejUnknownGoal
	rejDuplicateOrder
	rejStrict
	numRejects
)

var rejectNames = [numRejects]string{
	"invalid_site", "invalid_cid", "cip_without_token", "cdt_without_token",
	"unknown_goal", "duplicate_order", "strict",
}

// exclusion reasons: answered as success, not recorded.
const (
	exNoRec = iota
	exBot
	exStalePing
	numExclusions
)

var exclusionNames = [numExclusions]string{"no_rec", "bot", "stale_ping"}

// adjustment reasons: recorded, at the server time instead of cdt.
const (
	adjCdtFuture = iota
	adjCdtInvalid
	numAdjustments
)

var adjustmentNames = [numAdjustments]string{"cdt_future", "cdt_invalid"}

const (
	// cdtNeedsTokenAfter: a cdt this many seconds old or older needs a token.
	cdtNeedsTokenAfter = 86400
	// cdtMaxAge: Matomo ignores a cdt older than 20 years.
	cdtMaxAge = 20 * 365 * 86400
)

type hitResult struct {
	out    outcome
	reason int // index into the names of out's reasons
	site   int // site id, 0 when unknown
	rules  uint32
	adjust int // adjustment reason of a recorded hit, -1 for none
}

// hitInput is one hit with its request context.
type hitInput struct {
	p         *params
	obj       []kv   // parameters of a bulk object entry, nil otherwise
	bulkToken string // top-level token_auth of a bulk body
	r         *http.Request
	now       int64
}

func (s *Sink) handleHit(rs *reqState, in *hitInput) hitResult {
	p := in.p
	res := hitResult{adjust: -1}
	// A request without rec=1 is not a hit (Matomo answers it and records
	// nothing, as preflight checks rely on), so the hit rules do not apply.
	if p.get(fRec) == "1" {
		res.rules = checkRules(p, &rs.scratch)
	}
	if res.rules != 0 {
		s.countRules(rs, in, res.rules)
	}
	reject := func(why int) hitResult {
		res.out, res.reason = outRejected, why
		rs.tally.rejected[why]++
		s.exampleOf(&s.rejectExamples[why], in)
		return res
	}

	si, ok := s.siteIndex(p.get(fIdsite))
	if !ok {
		return reject(rejInvalidSite)
	}
	st := &s.sites[si]
	res.site = st.id
	if p.present(fCid) && !isHexN(p.get(fCid), 16) {
		return reject(rejInvalidCid)
	}
	token := in.bulkToken
	if token == "" {
		token = p.get(fToken)
	}
	authed := tokenValid(st.tokens, token)
	if p.get(fCip) != "" && !authed {
		return reject(rejCipWithoutToken)
	}
	unix, adjust := in.now, -1
	if p.present(fCdt) && p.v[fCdt] != "" {
		cdt, ok := p.cdt()
		switch {
		case !ok || cdt <= in.now-cdtMaxAge:
			adjust = adjCdtInvalid
		case cdt > in.now:
			adjust = adjCdtFuture
		case in.now-cdt >= cdtNeedsTokenAfter && !authed:
			return reject(rejCdtWithoutToken)
		default:
			unix = cdt
		}
	}
	kind := actionOf(p)
	if kind == kindGoal {
		g, ok := atoiN(p.get(fIdgoal))
		if !ok || !st.goals[g] {
			return reject(rejUnknownGoal)
		}
	}
	if s.strict && res.rules != 0 {
		return reject(rejStrict)
	}

	ua := rs.userAgent(p, in.r)
	if p.get(fRec) != "1" {
		return s.exclude(rs, res, exNoRec)
	}
	ip := rs.clientIP(p, in.r, authed)
	// Matomo's isNonHumanBot: a bot user agent, or an address in the
	// ranges of search engine crawlers.
	if p.get(fBots) != "1" && (rs.isBot(ua) || matomodata.IsBotIP(ip)) {
		return s.exclude(rs, res, exBot)
	}
	var revenue float64
	if kind == kindOrder {
		revenue, _ = number(p.get(fRevenue))
		if !s.claimOrder(int32(si), p.get(fEcID)) {
			return reject(rejDuplicateOrder)
		}
	}

	e := event{
		site:     int32(si),
		visitor:  s.visitorID(p, ip, ua),
		unix:     unix,
		day:      civilDay(unix, st.loc),
		newVisit: p.get(fNewVisit) == "1",
		kind:     kind,
		revenue:  revenue,
		ip:       ip,
		p:        p,
		rs:       rs,
	}
	switch s.record(&e) {
	case recStalePing:
		return s.exclude(rs, res, exStalePing)
	case recDropped:
		res.out = outDropped
		return res
	}
	if adjust >= 0 {
		rs.tally.adjusted[adjust]++
		res.adjust = adjust
	}
	rs.tally.recorded++
	return res
}

func (s *Sink) exclude(rs *reqState, res hitResult, why int) hitResult {
	res.out, res.reason = outExcluded, why
	rs.tally.excluded[why]++
	return res
}

func (s *Sink) siteIndex(idsite string) (int, bool) {
	// Digits only (an optional "+" aside): strconv.Atoi would allocate an
	// error for every hit with a bad idsite.
	id, ok := atoiN(strings.TrimPrefix(idsite, "+"))
	if !ok || id <= 0 || len(idsite) > 9 {
		return 0, false
	}
	for i := range s.sites { // a handful of sites: a scan beats a map
		if s.sites[i].id == id {
			return i, true
		}
	}
	return 0, false
}

// tokenValid compares in constant time so that response timing does not
// leak how much of a token was right.
func tokenValid(tokens []string, token string) bool {
	if token == "" {
		return false
	}
	ok := false
	for _, t := range tokens {
		if subtle.ConstantTimeCompare([]byte(t), []byte(token)) == 1 {
			ok = true
		}
	}
	return ok
}

// actionOf tells what the hit records. Matomo gives downloads and outlinks
// precedence over events, and events over site searches.
func actionOf(p *params) actionKind {
	switch {
	case p.get(fPing) == "1":
		return kindPing
	case p.present(fIdgoal):
		if p.get(fIdgoal) != "0" {
			return kindGoal
		}
		if p.get(fEcID) != "" {
			return kindOrder
		}
		return kindCart
	case p.v[fDownload] != "":
		return kindDownload
	case p.v[fLink] != "":
		return kindOutlink
	case p.v[fEC] != "" || p.v[fEA] != "":
		return kindEvent
	case p.v[fSearch] != "":
		return kindSiteSearch
	}
	return kindPageview
}
