package matomodata

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// searchDef is one configuration of a search engine in SearchEngines.yml.
type searchDef struct {
	Name     string
	URLs     []string `yaml:"urls"`
	Params   []string `yaml:"params"`
	Backlink string   `yaml:"backlink"`
	Hidden   []string `yaml:"hiddenkeyword"`

	paramRes map[string]*regexp.Regexp // the "/…/" params, compiled
	hidden   []hiddenRule
}

// hiddenRule is one hiddenkeyword entry: a "/…/" regular expression or a
// literal path (with query and fragment).
type hiddenRule struct {
	re      *regexp.Regexp
	literal string
}

// defaultHidden applies to an engine that lists no hiddenkeyword (Matomo
// since 4.0, matomo-org/matomo#16747): the bare host, with an empty path
// or "/", is that search engine without a keyword.
var defaultHidden = []string{"/^$/", "/"}

// searchEngines maps every url entry of SearchEngines.yml (a host, maybe
// with a path, maybe with "{}" for a country part) to its configuration; a
// later entry replaces an earlier one, as in Matomo's getDefinitions.
var searchEngines = sync.OnceValue(func() map[string]*searchDef {
	var doc yaml.Node
	data, err := referrerLists.ReadFile("referrers/SearchEngines.yml")
	if err == nil {
		err = yaml.Unmarshal(data, &doc)
	}
	if err != nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		panic(fmt.Sprintf("matomodata: SearchEngines.yml: not a mapping (%v)", err))
	}
	m := doc.Content[0].Content
	out := make(map[string]*searchDef)
	for i := 0; i+1 < len(m); i += 2 {
		var defs []*searchDef
		if err := m[i+1].Decode(&defs); err != nil {
			panic(fmt.Sprintf("matomodata: SearchEngines.yml:%d: %v", m[i+1].Line, err))
		}
		for _, d := range defs {
			d.Name = m[i].Value
			d.compile()
			for _, u := range d.URLs {
				out[u] = d
			}
		}
	}
	return out
})

// compile prepares the regular expressions of d. A pattern Go cannot
// compile (none in the shipped list) is left out rather than trusted.
func (d *searchDef) compile() {
	d.paramRes = map[string]*regexp.Regexp{}
	for _, p := range d.Params {
		if re := phpRegexp(p); re != nil {
			d.paramRes[p] = re
		}
	}
	hidden := d.Hidden
	if len(hidden) == 0 {
		hidden = defaultHidden
	}
	for _, h := range hidden {
		if len(h) > 1 && h[0] == '/' && h[len(h)-1] == '/' {
			if re := phpRegexp(h); re != nil {
				d.hidden = append(d.hidden, hiddenRule{re: re})
			}
			continue
		}
		d.hidden = append(d.hidden, hiddenRule{literal: h})
	}
}

// phpRegexp compiles a PCRE pattern written as "/body/flags"; nil for
// anything else.
func phpRegexp(p string) *regexp.Regexp {
	end := strings.LastIndexByte(p, '/')
	if len(p) < 2 || p[0] != '/' || end <= 0 {
		return nil
	}
	body, flags := p[1:end], p[end+1:]
	if strings.Contains(flags, "i") {
		body = "(?i)" + body
	}
	re, err := regexp.Compile(body)
	if err != nil {
		return nil
	}
	return re
}

// searchEngine is Matomo's SearchEngine::extractInformationFromUrl: the
// engine's name and keyword, ok false when refURL is no search engine.
func searchEngine(refURL string, u parsedURL) (name, keyword string, ok bool) {
	query := u.query
	if u.fragment != "" {
		query += "&" + u.fragment // Google puts keywords in the fragment
	}
	d := engineFor(u.host, u.path, query)
	if d == nil {
		return "", "", false
	}
	key, found := "", false // found with key "" is Matomo's $key === false
	for _, p := range d.Params {
		if re := d.paramRes[p]; re != nil {
			if m := re.FindStringSubmatch(refURL); len(m) > 1 {
				key = strings.TrimSpace(phpURLDecode(m[1]))
				found = key != ""
				break
			}
			continue
		}
		key = strings.TrimSpace(phpURLDecode(queryParam(query, p)))
		if key == "" && (strings.Contains(query, "&"+p+"=") || strings.Contains(query, "?"+p+"=")) {
			found = true // an empty keyword parameter
		}
		if key != "" || found {
			found = true
			break
		}
	}
	if !found {
		full := u.path // Matomo appends the query with the fragment already in it
		if query != "" {
			full += "?" + query
		}
		if u.fragment != "" {
			full += "#" + u.fragment
		}
		for _, h := range d.hidden {
			if (h.re != nil && h.re.MatchString(full)) || (h.re == nil && h.literal == full) {
				found = true
				break
			}
		}
	}
	if !found {
		return "", "", false
	}
	return d.Name, strings.ToLower(key), true
}

// engineFor is Matomo's getEngineHostFromUrl: host+path, host, lossy
// host+path, lossy host, then a few special cases.
func engineFor(host, path, query string) *searchDef {
	defs := searchEngines()
	lossy := lossyHost(host)
	for _, k := range []string{host + path, host, lossy + path, lossy} {
		if d := defs[k]; d != nil {
			return d
		}
	}
	switch {
	case strings.HasPrefix(query, "cx=partner-pub-"):
		return defs["google.com/cse"]
	case strings.HasPrefix(path, "/pemonitorhosted/ws/results/"):
		return defs["wsdsold.infospace.com"]
	case strings.Index(host, ".images.search.yahoo.com") > 0:
		return defs["images.search.yahoo.com"]
	case strings.Index(host, ".search.yahoo.com") > 0:
		return defs["search.yahoo.com"]
	}
	return nil
}

// queryParam is the raw value of the last name=value pair of query, as
// Matomo's UrlHelper::getParameterFromQueryString finds it.
func queryParam(query, name string) string {
	val := ""
	for _, pair := range strings.Split(query, "&") {
		k, v, _ := strings.Cut(pair, "=")
		if k == name {
			val = v
		}
	}
	return val
}

// phpURLDecode is PHP's urldecode: "+" is a space, a bad escape stays.
func phpURLDecode(s string) string {
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return strings.ReplaceAll(s, "+", " ")
}

// SearchEngineParams returns the keyword parameters (not the regular
// expressions) that SearchEngines.yml names for the engine of host, by
// Matomo's host matching; nil when host is no search engine.
func SearchEngineParams(host string) []string {
	d := engineFor(strings.ToLower(host), "", "")
	if d == nil {
		return nil
	}
	var out []string
	for _, p := range d.Params {
		if d.paramRes[p] == nil {
			out = append(out, p)
		}
	}
	return out
}
