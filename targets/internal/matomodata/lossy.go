package matomodata

import (
	"strings"
	"sync"
)

// isoCountries are the codes UrlHelper::getLossyUrl folds into "{}":
// Matomo's RegionDataProvider::getCountryList(true), that is the ISO
// 3166-1 alpha-2 codes (core/Intl/Data/Resources/countries.php) and the
// internal ones (countries-extra.php): xx, the exceptionally and
// transitionally reserved codes (uk, eu, su, yu, …), MaxMind's a1, a2, ap,
// o1, and "cat".
const isoCountries = "ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo bq br bs bt bv bw by bz " +
	"ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg eh er es et fi fj fk fm fo fr " +
	"ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp " +
	"ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mf mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz " +
	"na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw " +
	"sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz " +
	"ua ug um us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw " +
	"xx ac cp dg ea eu fx ic su ta uk an bu cs nt sf tp yu zr a1 a2 ap o1 cat"

var countrySet = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(isoCountries) {
		m[c] = true
	}
	return m
})

// lossyHost is Matomo's UrlHelper::getLossyUrl of a host, written out
// (its four regular expressions with 270 alternatives each were too slow
// for the sink): drop a leading www./search. label, drop "m" labels, fold
// a country top-level domain (and a com/org/net/co/it/edu label before it)
// into "{}", then fold every other country label into "{}". Like
// preg_replace, a label right after a replaced one is not replaced.
// "www.google.de" becomes "google.{}", "m.bing.com" "bing.com".
func lossyHost(host string) string {
	labels := strings.Split(host, ".")
	if len(labels) > 1 && (labels[0] == "search" || isWLabel(labels[0])) {
		labels = labels[1:]
	}
	last := len(labels) - 1
	labels = append(foldLabels(labels[:last], func(l string) bool { return l == "m" }, ""), labels[last])
	cc := countrySet()
	if n := len(labels); n > 1 && cc[labels[n-1]] {
		labels = labels[:n-1]
		switch labels[n-2] {
		case "com", "org", "net", "co", "it", "edu":
			if n > 2 {
				labels = labels[:n-2]
			}
		}
		labels = append(labels, "{}")
	}
	last = len(labels) - 1
	head := foldLabels(labels[:last], func(l string) bool { return cc[l] }, "{}")
	return strings.Join(append(head, labels[last]), ".")
}

// isWLabel: one or more "w" and then digits ("www", "www2", "w3").
func isWLabel(l string) bool {
	i := 0
	for i < len(l) && l[i] == 'w' {
		i++
	}
	if i == 0 {
		return false
	}
	for ; i < len(l); i++ {
		if l[i] < '0' || l[i] > '9' {
			return false
		}
	}
	return true
}

// foldLabels replaces (repl "{}") or drops (repl "") every label that
// match accepts, except a label right after a replaced one: each match of
// Matomo's expression also consumes the dot that follows it. labels is
// not the last label of the host (the expressions need a dot after it).
func foldLabels(labels []string, match func(string) bool, repl string) []string {
	out := labels[:0:0]
	skip := false
	for _, l := range labels {
		if !skip && match(l) {
			skip = true
			if repl != "" {
				out = append(out, repl)
			}
			continue
		}
		skip = false
		out = append(out, l)
	}
	return out
}
