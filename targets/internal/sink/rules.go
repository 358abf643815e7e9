package sink

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// rule is a strict check on a hit. Violations are counted by name; they
// change the answer only in Strict mode (Matomo's own 400 cases are in
// decide.go).
type rule uint8

const (
	ruleVisitorID rule = iota
	rulePvID
	ruleURLAbsolute
	ruleURLLength
	ruleURLRefAbsolute
	ruleEventCategoryAction
	ruleEventValue
	ruleEcItems
	ruleOrderRevenue
	ruleOrderTotals
	ruleDownloadAbsolute
	ruleLinkAbsolute
	ruleCdtFormat
	rulePingWithCa
	ruleQueryEncoding
	ruleTokenInURL
	numRules
)

// ruleNames are the names in Stats.Rules and docs/sink.md.
var ruleNames = [numRules]string{
	ruleVisitorID:           "visitor_id",
	rulePvID:                "pv_id",
	ruleURLAbsolute:         "url_absolute",
	ruleURLLength:           "url_length",
	ruleURLRefAbsolute:      "urlref_absolute",
	ruleEventCategoryAction: "event_category_action",
	ruleEventValue:          "event_value",
	ruleEcItems:             "ec_items",
	ruleOrderRevenue:        "order_revenue",
	ruleOrderTotals:         "order_totals",
	ruleDownloadAbsolute:    "download_absolute",
	ruleLinkAbsolute:        "link_absolute",
	ruleCdtFormat:           "cdt_format",
	rulePingWithCa:          "ping_with_ca",
	ruleQueryEncoding:       "query_encoding",
	ruleTokenInURL:          "token_in_url",
}

// maxURLChars is how much of url Matomo keeps.
const maxURLChars = 1024

// checkRules returns the set of rules p breaks, one bit per rule. scratch
// is reused to decode URLs without allocating.
func checkRules(p *params, scratch *[]byte) (broken uint32) {
	fail := func(r rule) { broken |= 1 << r }

	if id := p.get(fID); !isHexN(id, 16) {
		fail(ruleVisitorID)
	}
	if p.present(fPvID) && utf8.RuneCountInString(p.get(fPvID)) != 6 {
		fail(rulePvID)
	}

	*scratch = p.appendDecoded((*scratch)[:0], fURL)
	if !p.present(fURL) || !isAbsoluteURL(*scratch) {
		fail(ruleURLAbsolute)
	}
	if len(*scratch) > maxURLChars && utf8.RuneCount(*scratch) > maxURLChars {
		fail(ruleURLLength)
	}
	if p.present(fURLRef) && p.v[fURLRef] != "" {
		*scratch = p.appendDecoded((*scratch)[:0], fURLRef)
		if !isAbsoluteURL(*scratch) {
			fail(ruleURLRefAbsolute)
		}
	}
	if p.present(fDownload) {
		*scratch = p.appendDecoded((*scratch)[:0], fDownload)
		if !isAbsoluteURL(*scratch) {
			fail(ruleDownloadAbsolute)
		}
	}
	if p.present(fLink) {
		*scratch = p.appendDecoded((*scratch)[:0], fLink)
		if !isAbsoluteURL(*scratch) {
			fail(ruleLinkAbsolute)
		}
	}

	if p.has&(1<<fEC|1<<fEA|1<<fEN|1<<fEV) != 0 {
		if p.blank(fEC, scratch) || p.blank(fEA, scratch) {
			fail(ruleEventCategoryAction)
		}
	}
	if p.present(fEV) {
		if _, ok := number(p.get(fEV)); !ok {
			fail(ruleEventValue)
		}
	}

	if p.present(fEcItems) && !validItems(p.get(fEcItems)) {
		fail(ruleEcItems)
	}
	if isOrder(p) {
		broken |= checkOrder(p)
	}

	if p.present(fCdt) {
		if _, ok := p.cdt(); !ok {
			fail(ruleCdtFormat)
		}
	}
	if p.get(fPing) == "1" && p.get(fCa) == "1" {
		fail(rulePingWithCa)
	}
	if p.badEscape {
		fail(ruleQueryEncoding)
	}
	if p.tokenInURL {
		fail(ruleTokenInURL)
	}
	return broken
}

// isOrder: idgoal=0 with an ec_id is an ecommerce order; without ec_id it
// is a cart update.
func isOrder(p *params) bool {
	return p.get(fIdgoal) == "0" && p.get(fEcID) != ""
}

// checkOrder needs a numeric revenue, and revenue = ec_st + ec_tx + ec_sh -
// ec_dt within a cent when any of the parts is sent.
func checkOrder(p *params) (broken uint32) {
	revenue, ok := number(p.get(fRevenue))
	if !ok {
		broken |= 1 << ruleOrderRevenue
	}
	if p.has&(1<<fEcSt|1<<fEcTx|1<<fEcSh|1<<fEcDt) == 0 {
		return broken
	}
	sum, allOK := 0.0, true
	for _, part := range [...]struct {
		f    field
		sign float64
	}{{fEcSt, 1}, {fEcTx, 1}, {fEcSh, 1}, {fEcDt, -1}} {
		if !p.present(part.f) {
			continue
		}
		v, ok := number(p.get(part.f))
		if !ok {
			allOK = false
			continue
		}
		sum += part.sign * v
	}
	// 0.01 plus a little slack, so that sums of two-decimal values that are
	// one cent apart in decimal are not rejected for binary rounding.
	if !allOK || !ok || math.Abs(sum-revenue) > 0.01+1e-9 {
		broken |= 1 << ruleOrderTotals
	}
	return broken
}

// validItems checks ec_items: a JSON array of [sku, name, category, price,
// quantity] with a non-empty string SKU, a string name, a category that is
// a string or an array of up to 5 strings, and numeric price and quantity
// (JSON numbers or numeric strings).
func validItems(s string) bool {
	var items []json.RawMessage
	if err := json.Unmarshal([]byte(s), &items); err != nil || items == nil {
		return false
	}
	for _, raw := range items {
		var item []json.RawMessage
		if err := json.Unmarshal(raw, &item); err != nil || len(item) != 5 {
			return false
		}
		var sku, name string
		if json.Unmarshal(item[0], &sku) != nil || strings.TrimSpace(sku) == "" {
			return false
		}
		if json.Unmarshal(item[1], &name) != nil {
			return false
		}
		if !validCategory(item[2]) || !jsonNumber(item[3]) || !jsonNumber(item[4]) {
			return false
		}
	}
	return true
}

func validCategory(raw json.RawMessage) bool {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return true
	}
	var many []string
	return json.Unmarshal(raw, &many) == nil && len(many) <= 5
}

func jsonNumber(raw json.RawMessage) bool {
	var f float64
	if json.Unmarshal(raw, &f) == nil {
		return true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return false
	}
	_, ok := number(s)
	return ok
}

// number parses a decimal number as Matomo's is_numeric would accept it,
// without the hexadecimal, infinity and NaN forms that ParseFloat allows.
func number(s string) (float64, bool) {
	if !isDecimal(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil && !math.IsInf(f, 0)
}

func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		exp := 0
		for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

func isHexN(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}
