package model

import (
	"bytes"
	"math"
	"path/filepath"

	"github.com/trafficinator/trafficinator/scenario/internal/urlfile"
)

func (c *checker) checkTraffic() {
	t := &c.s.Traffic
	c.intRange("/traffic/pageviews", t.Pageviews)
	c.durationRange("/traffic/pause", t.Pause)
	c.durationRange("/traffic/visit_duration", t.VisitDuration)
	if t.URLs != nil && !t.URLs.Builtin && t.URLs.File == "" && len(t.URLs.List) == 0 {
		c.errorf("/traffic/urls", "", "urls must be builtin, {file: PATH} or a non-empty {list: [...]}")
	}
	if t.URLs != nil && t.URLs.File != "" {
		c.urlFile("/traffic/urls/file", t.URLs.File)
	}
	if t.URLs != nil {
		for i, u := range t.URLs.List {
			c.absoluteURL(idx("/traffic/urls/list", i), u)
		}
	}
	if s := t.Sources; s != nil {
		sum := 0.0
		for _, v := range []*float64{s.Direct, s.Search, s.Social, s.Referral, s.Campaign} {
			if v != nil {
				sum += *v
			}
		}
		if sum > 1+1e-9 {
			c.errorKey("/traffic/sources", "the shares are fractions of all visits; what is left over is direct",
				"traffic source shares add up to %s, more than 1", fmtNum(round6(sum)))
		}
	}
	if t.Features != nil {
		c.checkFeatures("/traffic/features", t.Features)
	}
}

func (c *checker) checkFeatures(p string, f *Features) {
	for _, x := range []struct {
		name string
		f    *Feature
	}{
		{"site_search", f.SiteSearch}, {"outlinks", f.Outlinks}, {"downloads", f.Downloads},
		{"click_events", f.ClickEvents}, {"random_events", f.RandomEvents},
	} {
		if x.f != nil {
			c.probability(p+"/"+x.name+"/probability", x.f.Probability)
		}
	}
	if e := f.Ecommerce; e != nil {
		c.probability(p+"/ecommerce/probability", e.Probability)
		c.floatRange(p+"/ecommerce/order_value", e.OrderValue)
		c.intRange(p+"/ecommerce/items", e.Items)
		if e.OrderValue != nil && e.OrderValue.Min <= 0 {
			c.errorf(p+"/ecommerce/order_value/min", "", "order_value min must be greater than 0")
		}
	}
	if g := f.Geo; g != nil && len(g.Countries) > 0 {
		sum := 0.0
		for _, v := range g.Countries {
			sum += v
		}
		if sum > 1+1e-9 {
			c.errorKey(p+"/geo/countries", "the shares are fractions of all visits; what is left over is spread like the default table",
				"country shares add up to %s, more than 1", fmtNum(round6(sum)))
		}
	}
}

func round6(f float64) float64 { return math.Round(f*1e6) / 1e6 }

// urlFile reads the URL list as the run will (relative to the scenario's
// folder), so that a missing, special, oversized or broken file is an error
// at the position of its name rather than at the start of the run. The
// reader's errors name the file, line and column, never its text.
func (c *checker) urlFile(path, file string) {
	if !filepath.IsAbs(file) && c.src != nil && c.src.File != "" {
		file = filepath.Join(filepath.Dir(c.src.File), file)
	}
	read := c.opts.ReadURLFile
	if read == nil {
		read = urlfile.Read
	}
	data, err := read(file)
	if err == nil {
		_, err = urlfile.Parse(bytes.NewReader(data), file)
	}
	if err != nil {
		c.errorf(path, "urls.file names a regular text file of at most 32 MiB, one http(s) URL per line, relative to the scenario file",
			"cannot use the URL file %v", err)
	}
}
