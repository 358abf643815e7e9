package plan

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// SignificantDigits is how precisely a plan document shows a computed
// figure (a rate, a share, an expected count): an estimate has no more
// meaning than that, and 497.80000000000007 only hides the 497.8.
const SignificantDigits = 4

// moneyFields hold amounts of money, shown in cents.
var moneyFields = map[string]bool{"order_min": true, "order_max": true, "shipping": true}

// roundFigures rounds the numbers of a plan document in place: money to
// cents, every other fraction to SignificantDigits. Integers stay as they
// are. The scenario's copy is left alone: it is the input as written.
func roundFigures(doc map[string]any) {
	for k, v := range doc {
		if k == "scenario" {
			continue
		}
		doc[k] = roundValue(v, moneyFields[k])
	}
}

func roundValue(v any, money bool) any {
	switch x := v.(type) {
	case json.Number:
		return roundNumber(x, money)
	case map[string]any:
		for k, e := range x {
			x[k] = roundValue(e, money || moneyFields[k])
		}
	case []any:
		for i, e := range x {
			x[i] = roundValue(e, money)
		}
	}
	return v
}

// roundNumber rounds one number; an integer as encoded ("231") is kept.
func roundNumber(n json.Number, money bool) json.Number {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		return n
	}
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return n
	}
	if money {
		f = math.Round(f*100) / 100
	} else {
		f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', SignificantDigits, 64), 64)
	}
	return json.Number(strconv.FormatFloat(f, 'f', -1, 64))
}
