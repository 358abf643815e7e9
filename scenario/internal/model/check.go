package model

import (
	"fmt"
	"strconv"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// Check runs the semantic rules that a JSON Schema cannot express. Each rule
// lives in a check_*.go file of its own; all of them run, so that a file's
// every problem is reported at once.
func Check(s *Scenario, opts Options) diag.List {
	c := &checker{s: s, src: s.Source, opts: opts}
	if c.src == nil {
		c.src = &Source{}
	}
	c.checkRun()
	c.checkBackfill()
	c.checkTargets()
	c.checkTraffic()
	c.checkFunnels()
	c.checkPolicies()
	return c.diags
}

// checker collects diagnostics for one scenario.
type checker struct {
	s     *Scenario
	src   *Source
	opts  Options
	diags diag.List
}

// at reports at an explicit position.
func (c *checker) at(sev diag.Severity, pos diag.Pos, path, msg, hint string) {
	c.diags = append(c.diags, diag.Diagnostic{
		File: c.src.File, Severity: sev, Path: path, Message: msg, Hint: hint,
	}.At(pos))
}

// errorf reports an error at the value of a JSON pointer.
func (c *checker) errorf(path, hint, format string, a ...any) {
	c.at(diag.Error, c.src.Pos(path, false), path, fmt.Sprintf(format, a...), hint)
}

// errorKey reports an error at the key of a JSON pointer.
func (c *checker) errorKey(path, hint, format string, a ...any) {
	c.at(diag.Error, c.src.Pos(path, true), path, fmt.Sprintf(format, a...), hint)
}

// warnKey reports a warning at the key of a JSON pointer.
func (c *checker) warnKey(path, hint, format string, a ...any) {
	c.at(diag.Warning, c.src.Pos(path, true), path, fmt.Sprintf(format, a...), hint)
}

// duration reports a duration that did not parse.
func (c *checker) duration(path string, d *Duration) {
	if d != nil && d.Err != "" {
		c.at(diag.Error, d.Pos, path, d.Err, "")
	}
}

// rate reports a rate that did not parse.
func (c *checker) rate(path string, r *Rate) {
	if r != nil && r.Err != "" {
		c.at(diag.Error, r.Pos, path, r.Err, "")
	}
}

// durationRange checks both ends and min ≤ max.
func (c *checker) durationRange(path string, r *DurationRange) {
	if r == nil {
		return
	}
	c.duration(path+"/min", &r.Min)
	c.duration(path+"/max", &r.Max)
	if r.Min.Err == "" && r.Max.Err == "" && r.Min.D > r.Max.D {
		c.errorf(path+"/min", "", "min (%s) is greater than max (%s)", r.Min.Raw, r.Max.Raw)
	}
}

func (c *checker) intRange(path string, r *IntRange) {
	if r != nil && r.Min > r.Max {
		c.errorf(path+"/min", "", "min (%d) is greater than max (%d)", r.Min, r.Max)
	}
}

func (c *checker) floatRange(path string, r *FloatRange) {
	if r != nil && r.Min > r.Max {
		c.errorf(path+"/min", "", "min (%s) is greater than max (%s)", fmtNum(r.Min), fmtNum(r.Max))
	}
}

func (c *checker) probability(path string, p *float64) {
	if p != nil && (*p < 0 || *p > 1) {
		c.errorf(path, "", "probability %s is outside [0, 1]", fmtNum(*p))
	}
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func idx(path string, i int) string { return path + "/" + strconv.Itoa(i) }
