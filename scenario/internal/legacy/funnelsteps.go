package legacy

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/model"
)

// stepContext is what mapping one step needs.
type stepContext struct {
	ff    *funnelFile
	f     *model.Funnel
	label string // funnel N ("name"), for messages
	p     string // the funnel's JSON pointer
	j     int    // step index in the legacy file
	sv    *jsonValue
	sp    string // the step's JSON pointer, if it is kept
	page  string // the legacy loader's last_page_url before this step
}

func (c *stepContext) what() string { return fmt.Sprintf("%s, step %d", c.label, c.j+1) }

// funnelSteps maps the steps in order. A step the legacy loader could not
// run (a missing event or search field raised and aborted the visit, spec
// §8.1) ends the funnel there: the scenario keeps what was sent.
//
// A legacy delay is the time after its step; a v1 delay is the time before
// its step. So each legacy delay moves on to the next step that is kept
// (the delays of steps left out in between add up), and what is left after
// the last one becomes the funnel's end_delay: the gaps between the hits
// stay what they were.
func (m *migration) funnelSteps(ff *funnelFile, f *model.Funnel, p, label string, items []*jsonValue) {
	page := ""
	var after pendingDelay // the legacy delays since the last kept step
	defer func() { after.place(m, &f.EndDelay, p+"/end_delay") }()
	for j, sv := range items {
		c := &stepContext{ff: ff, f: f, label: label, p: p, j: j, sv: sv, page: page, sp: p + "/steps/" + itoa(len(f.Steps))}
		st, keep, stop := m.step(c)
		if stop {
			return
		}
		d := m.stepDelay(c)
		if !keep {
			after.add(d)
			continue
		}
		if len(f.Steps) > 0 {
			after.place(m, &st.Delay, c.sp+"/delay")
		}
		after = pendingDelay{}
		after.add(d)
		f.Steps = append(f.Steps, st)
		// Outlinks and downloads leave the page where it was.
		if st.Type != model.StepOutlink && st.Type != model.StepDownload && st.URL != "" {
			page = st.URL
		}
	}
}

// step maps one step: keep is false for a step that is left out, stop
// ends the funnel before it.
func (m *migration) step(c *stepContext) (st model.FunnelStep, keep, stop bool) {
	sv := c.sv
	st.Type = sv.get("type").str
	sp := c.sp
	m.unknownMembers(sv, stepFields, "funnel step", c.ff.pos, c.ff.path)
	if v := sv.get("url"); v != nil && v.kind == 's' && v.str != "" {
		st.URL = v.str
	}
	if v := sv.get("action_name"); v != nil && v.kind == 's' && v.str != "" {
		st.ActionName = v.str
	}
	for _, k := range []string{"title", "ecommerce_items", "ecommerce_currency"} {
		if v := sv.get(k); v != nil {
			m.report(diag.Info, c.ff.path, c.ff.pos(v.off), "", fmt.Sprintf("%s: %s is left out: the legacy loader ignored it", c.what(), k), "")
		}
	}
	switch st.Type {
	case model.StepEvent:
		return m.eventStep(c, st, sp)
	case model.StepSiteSearch:
		return m.searchStep(c, st, sp)
	case model.StepOutlink, model.StepDownload:
		return m.linkStep(c, st)
	case model.StepEcommerce:
		return m.orderStep(c, st, sp), true, false
	}
	return st, true, false
}

// legacyDelay is one legacy step's delay (the time after it): its range,
// the step it comes from (1-based) and a note on how it was read.
type legacyDelay struct {
	lo, hi time.Duration
	step   int
	note   string
}

// stepDelay reads delay_seconds_min/max as the loader did: min floored at
// 0, max defaulting to min and raised to it. A zero delay is nil.
func (m *migration) stepDelay(c *stepContext) *legacyDelay {
	lo, hi := 0.0, 0.0
	if v := c.sv.get("delay_seconds_min"); v != nil {
		lo, _ = v.float()
	}
	lo = max(lo, 0)
	hi = lo
	note := ""
	if v := c.sv.get("delay_seconds_max"); v != nil {
		hi, _ = v.float()
		if hi < lo {
			note = fmt.Sprintf("%s: delay_seconds_max (%s) was below the minimum; the legacy loader raised it to %s, and so does the scenario.", c.what(), fmtNum(hi), fmtNum(lo))
			hi = lo
		}
	}
	if hi == 0 {
		return nil
	}
	dlo, ok1 := toDuration(lo, time.Second)
	dhi, ok2 := toDuration(hi, time.Second)
	if !ok1 || !ok2 {
		m.report(diag.Warning, c.ff.path, c.ff.pos(c.sv.off), "", c.what()+": the delay is too long and is left out", "")
		return nil
	}
	return &legacyDelay{lo: dlo, hi: dhi, step: c.j + 1, note: note}
}

// pendingDelay adds up the legacy delays between two kept steps.
type pendingDelay struct {
	lo, hi time.Duration
	steps  []string
	notes  []string
}

func (p *pendingDelay) add(d *legacyDelay) {
	if d == nil {
		return
	}
	p.lo += d.lo
	p.hi += d.hi
	p.steps = append(p.steps, itoa(d.step))
	if d.note != "" {
		p.notes = append(p.notes, d.note)
	}
}

// place writes the delays added up at path (into *dst), with a comment
// that names the legacy steps they come from.
func (p *pendingDelay) place(m *migration, dst **model.DurationRange, path string) {
	if p.hi <= 0 {
		return
	}
	*dst = &model.DurationRange{Min: model.Duration{Raw: fmtDuration(p.lo), D: p.lo}, Max: model.Duration{Raw: fmtDuration(p.hi), D: p.hi}}
	for _, n := range p.notes {
		m.c.note(path, n)
	}
	m.c.from(path, "the time after legacy step "+strings.Join(p.steps, " + ")+" (delay_seconds_min/max)")
}

// text reads a field the loader put into a request parameter: strings as
// they are, numbers and booleans as Python's str() wrote them. ok is false
// when the field is missing, null or a collection, on which the loader
// raised.
func text(v *jsonValue) (string, bool) {
	if v == nil {
		return "", false
	}
	switch v.kind {
	case 's':
		return v.str, true
	case 'n':
		return fmtNum(v.num), true
	case 'b':
		return map[bool]string{true: "True", false: "False"}[v.boolean], true
	}
	return "", false
}

// abort ends the funnel before a step the legacy loader died on.
func (m *migration) abort(c *stepContext, field string) (model.FunnelStep, bool, bool) {
	msg := fmt.Sprintf("%s has no usable %s: the legacy loader aborted the visit at this step (defect 14), so the funnel ends before it", c.what(), field)
	if c.f.ExitAfterCompletion != nil && !*c.f.ExitAfterCompletion {
		t := true
		c.f.ExitAfterCompletion = &t
		msg += ", and exit_after_completion is true (the aborted visit did not go on)"
	}
	m.c.forget(c.sp)
	m.report(diag.Warning, c.ff.path, c.ff.pos(c.sv.off), c.p, msg, "")
	return model.FunnelStep{}, false, true
}

// leaveOut drops a step the scenario cannot express.
func (m *migration) leaveOut(c *stepContext, why string) (model.FunnelStep, bool, bool) {
	m.c.forget(c.sp)
	m.report(diag.Warning, c.ff.path, c.ff.pos(c.sv.off), c.p, fmt.Sprintf("%s is left out: %s", c.what(), why), "")
	return model.FunnelStep{}, false, false
}

func (m *migration) eventStep(c *stepContext, st model.FunnelStep, sp string) (model.FunnelStep, bool, bool) {
	var fields [3]string
	for i, k := range []string{"event_category", "event_action", "event_name"} {
		s, ok := text(c.sv.get(k))
		if !ok {
			return m.abort(c, k)
		}
		fields[i] = s
	}
	if fields[0] == "" || fields[1] == "" {
		return m.leaveOut(c, "its event_category or event_action is empty, and an event needs both")
	}
	st.Category, st.Action, st.Name = fields[0], fields[1], fields[2]
	if v := c.sv.get("event_value"); v != nil && v.kind != 'z' {
		if f, ok := v.float(); ok && v.kind != 'b' {
			st.Value = &f
		} else {
			m.report(diag.Warning, c.ff.path, c.ff.pos(v.off), sp, fmt.Sprintf("%s: event_value %s is not a number and is left out", c.what(), v.describe()), "")
		}
	}
	return st, true, false
}

func (m *migration) searchStep(c *stepContext, st model.FunnelStep, sp string) (model.FunnelStep, bool, bool) {
	kw, ok := text(c.sv.get("search_keyword"))
	if !ok {
		return m.abort(c, "search_keyword")
	}
	if kw == "" {
		return m.leaveOut(c, "its search_keyword is empty")
	}
	st.Keyword = kw
	if v := c.sv.get("search_category"); v != nil && v.truthy() {
		st.SearchCategory, _ = text(v)
	}
	if v := c.sv.get("search_results"); v != nil && v.kind != 'z' {
		if n, ok := v.int(); ok && n >= 0 && n <= maxInt32 {
			r := int(n)
			st.Results = &r
		} else {
			m.report(diag.Warning, c.ff.path, c.ff.pos(v.off), sp,
				fmt.Sprintf("%s: search_results %s is not a count and is left out (a random count is drawn)", c.what(), v.describe()), "")
		}
	}
	return st, true, false
}

// linkStep maps outlinks and downloads. Without target_url the legacy
// loader linked to the page itself; a relative outlink was joined to the
// page's scheme and host.
func (m *migration) linkStep(c *stepContext, st model.FunnelStep) (model.FunnelStep, bool, bool) {
	page := st.URL
	if page == "" {
		page = c.page
	}
	target, ok := text(c.sv.get("target_url"))
	if !ok || target == "" {
		target = page
	}
	if target == "" {
		return m.leaveOut(c, "it has no target_url, and the page it would default to was a random one")
	}
	if st.Type == model.StepOutlink && !isAbsoluteHTTP(target) {
		base, err := url.Parse(page)
		if err != nil || !isAbsoluteHTTP(page) || strings.Contains(target, "://") {
			return m.leaveOut(c, "its target_url "+clip(target)+" is not an http(s) URL, and an outlink needs one")
		}
		target = base.Scheme + "://" + base.Host + "/" + strings.TrimLeft(target, "/")
	}
	st.Target = target
	return st, true, false
}

func isAbsoluteHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// orderStep maps the revenue override to order_value; the other overrides
// made inconsistent totals (defect 9) and are left out.
func (m *migration) orderStep(c *stepContext, st model.FunnelStep, sp string) model.FunnelStep {
	if v := c.sv.get("ecommerce_revenue"); v != nil && v.kind != 'z' {
		if rev, ok := v.float(); ok && v.kind != 'b' && rev >= 0.01 {
			st.OrderValue = &model.FloatRange{Min: rev, Max: rev}
			m.report(diag.Info, c.ff.path, c.ff.pos(v.off), sp+"/order_value",
				fmt.Sprintf("%s: ecommerce_revenue %s becomes order_value {min: %s, max: %s}: the legacy loader sent it next to a generated "+
					"subtotal and tax that did not add up to it (defect 9); trafficinator draws an order with that revenue and consistent totals",
					c.what(), fmtNum(rev), fmtNum(rev), fmtNum(rev)), "")
		} else {
			m.report(diag.Warning, c.ff.path, c.ff.pos(v.off), sp,
				fmt.Sprintf("%s: ecommerce_revenue %s is not an amount of at least 0.01 and is left out", c.what(), v.describe()), "")
		}
	}
	for _, k := range []string{"ecommerce_subtotal", "ecommerce_tax", "ecommerce_shipping"} {
		if v := c.sv.get(k); v != nil {
			m.report(diag.Info, c.ff.path, c.ff.pos(v.off), sp,
				fmt.Sprintf("%s: %s is left out: the legacy loader overwrote one total and left the others inconsistent (defect 9); trafficinator computes them", c.what(), k), "")
		}
	}
	return st
}
