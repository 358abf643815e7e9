package legacy

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/model"
)

var currencyRe = regexp.MustCompile(`^[A-Z]{3}$`)

// buildEcommerce writes every order setting out: the legacy defaults of
// the currency (SEK) differ from v1's (USD), and the rest are spelled out
// so that the scenario says everything the legacy tool did.
func (m *migration) buildEcommerce(f *model.Features) {
	const p = "/traffic/features/ecommerce"
	e := &model.EcommerceFeature{}
	f.Ecommerce = e
	prob, pst := m.probability("ECOMMERCE_PROBABILITY", 0.05)
	e.Probability = &prob
	m.c.from(p+"/probability", source(pst, "ECOMMERCE_PROBABILITY"))

	lo, lst, lok := m.number(num{key: "ECOMMERCE_ORDER_VALUE_MIN", def: 15.99, lo: 0.01, hi: math.Inf(1), vlo: 0.01, vhi: math.Inf(1)})
	hi, hst, hok := m.number(num{key: "ECOMMERCE_ORDER_VALUE_MAX", def: 299.99, lo: 0.01, hi: math.Inf(1), vlo: 0.01, vhi: math.Inf(1)})
	if lok && hok {
		m.checkOrder("ECOMMERCE_ORDER_VALUE", lo, hi, lst, hst)
	}
	e.OrderValue = &model.FloatRange{Min: lo, Max: hi}
	m.c.from(p+"/order_value", pairSource("ECOMMERCE_ORDER_VALUE", lst, hst, ""))

	// Not checked by the legacy validator; a bad value failed each visit
	// that drew an order, so it is an error here.
	e.Items = m.intRange("ECOMMERCE_ITEMS", p+"/items", 1, 5, 1, math.Inf(1))

	tax, st, _ := m.number(num{key: "ECOMMERCE_TAX_RATE", def: 0.10, lo: 0, hi: 1, vlo: 0, vhi: 1,
		why: "a tax rate is between 0 and 1"})
	e.TaxRate = &tax
	m.c.from(p+"/tax_rate", source(st, "ECOMMERCE_TAX_RATE"))

	e.Shipping = m.shipping()
	m.buildCurrency(e)
	if prob > 0 {
		m.report(diag.Info, m.file, posOf(pst), p, "the legacy order maths differed (defect 9): it made 92% of orders single-item "+
			"whatever ECOMMERCE_ITEMS_MIN, taxed the shipping and never sent it, and sent unrounded subtotals; trafficinator "+
			"keeps the items range, taxes the subtotal only, sends ec_sh, and revenue = subtotal + tax + shipping", "")
	}
}

// posOf is the key position of a setting, or none for an unset one.
func posOf(st *setting) diag.Pos {
	if st == nil {
		return diag.Pos{}
	}
	return st.keyPos()
}

// shipping reads the comma list of ECOMMERCE_SHIPPING_RATES; an element
// that is not a number is an error at its own column.
func (m *migration) shipping() []float64 {
	const p = "/traffic/features/ecommerce/shipping"
	st := m.get("ECOMMERCE_SHIPPING_RATES")
	m.c.from(p, source(st, "ECOMMERCE_SHIPPING_RATES"))
	if st == nil {
		return []float64{0, 5.99, 9.99, 15.99}
	}
	var out []float64
	off := 0
	for _, part := range strings.Split(st.value, ",") {
		lead := len(part) - len(strings.TrimLeft(part, " \t"))
		v, err := pyFloat(strings.TrimSpace(part))
		switch {
		case err != nil:
			m.errorAt(st.offsetPos(off+lead), "write numbers separated by commas, e.g. 0,5.99,9.99",
				"ECOMMERCE_SHIPPING_RATES: %s is not a number", clip(strings.TrimSpace(part)))
		case v < 0:
			m.errorAt(st.offsetPos(off+lead), "", "ECOMMERCE_SHIPPING_RATES: a shipping cost cannot be negative (%s)", fmtNum(v))
		default:
			out = append(out, v)
		}
		off += len(part) + 1
	}
	return out
}

func (m *migration) buildCurrency(e *model.EcommerceFeature) {
	const p = "/traffic/features/ecommerce/currency"
	st := m.get("ECOMMERCE_CURRENCY")
	e.Currency = legacyCurrency
	if st == nil {
		m.c.from(p, "ECOMMERCE_CURRENCY not set: the legacy loader's default")
		m.c.note(p, "The legacy loader defaulted to SEK, while its README and docker-compose files said USD; the loader's behaviour wins.")
		return
	}
	m.c.from(p, source(st, "ECOMMERCE_CURRENCY"))
	if !currencyRe.MatchString(st.value) {
		hint := "an ISO 4217 code in capitals, e.g. EUR"
		if currencyRe.MatchString(strings.ToUpper(st.value)) {
			hint = "write it in capitals: " + strings.ToUpper(st.value)
		}
		m.errorf(st, hint, "ECOMMERCE_CURRENCY=%s is not three capital letters", clip(st.value))
		return
	}
	e.Currency = st.value
}

// anyTargetToken reports whether an enabled target has a token, which
// cip needs.
func (m *migration) anyTargetToken() bool {
	for _, t := range m.s.Targets {
		if t.TokenAuth != "" && t.IsEnabled() {
			return true
		}
	}
	return false
}

// buildGeo maps RANDOMIZE_VISITOR_COUNTRIES, which the loader read as on
// only for the literal "true" (any case), and on when unset.
func (m *migration) buildGeo(f *model.Features) {
	const p = "/traffic/features/geo"
	st := m.get("RANDOMIZE_VISITOR_COUNTRIES")
	on := st == nil || legacyTrue(st.value)
	f.Geo = &model.GeoFeature{Enabled: &on}
	m.c.from(p, source(st, "RANDOMIZE_VISITOR_COUNTRIES"))
	if st != nil && !on {
		switch {
		case validatorTrue(st.value):
			m.warn(st, p, "write RANDOMIZE_VISITOR_COUNTRIES=true and the scenario's geo: true to send visitor countries",
				"RANDOMIZE_VISITOR_COUNTRIES=%s turned visitor countries off in the legacy loader, which read only \"true\" as true "+
					"(its validator took it for true); the scenario keeps them off", clip(st.value))
		case st.value != "" && !validatorFalse(st.value):
			m.warn(st, p, "write true or false",
				"RANDOMIZE_VISITOR_COUNTRIES=%s is not a boolean; the legacy loader read it as false, and so does the scenario", clip(st.value))
		}
	}
	if !on {
		return
	}
	m.report(diag.Info, m.file, posOf(st), p, "visitor IPs (cip) come from trafficinator's country table with the legacy shares, "+
		"drawn per address rather than per IP range (defect 21)", "")
	if !m.anyTargetToken() {
		// A geo: true that no target can honour is an error in a
		// scenario; what the legacy hits carried was refused anyway.
		off := false
		f.Geo.Enabled = &off
		m.c.from(p, source(st, "RANDOMIZE_VISITOR_COUNTRIES")+"; off: no target has a token")
	}
	for i, t := range m.s.Targets {
		if t.TokenAuth == "" && t.IsEnabled() {
			pos := posOf(st)
			if st == nil && i < len(m.targetPos) {
				pos = m.targetPos[i]
			}
			m.report(diag.Warning, m.file, pos, targetPath(i),
				"geo is on but target "+strconv.Quote(t.Name)+" has no token: Matomo refuses cip without one (HTTP 400), so the legacy tool's "+
					"hits were all refused; trafficinator sends this target no cip instead",
				"set MATOMO_TOKEN_AUTH, or RANDOMIZE_VISITOR_COUNTRIES=false")
		}
	}
}
