package legacy

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/model"
	"github.com/trafficinator/trafficinator/schema"
)

// The fields of a legacy funnel and of its steps (legacy spec §8.1).
var (
	funnelFields = []string{"name", "description", "probability", "priority", "enabled", "exit_after_completion", "steps"}
	stepFields   = []string{
		"type", "url", "action_name", "delay_seconds_min", "delay_seconds_max",
		"event_category", "event_action", "event_name", "event_value",
		"search_keyword", "search_category", "search_results", "target_url",
		"ecommerce_revenue", "ecommerce_subtotal", "ecommerce_tax", "ecommerce_shipping",
		"title", "ecommerce_items", "ecommerce_currency",
	}
	stepTypes = []string{"pageview", "event", "site_search", "outlink", "download", "ecommerce"}
)

// funnelFile is a legacy funnels.json being migrated.
type funnelFile struct {
	path string
	data []byte
}

func (ff *funnelFile) pos(off int) diag.Pos {
	l, c := offsetLineCol(ff.data, off)
	return diag.Pos{Line: l, Column: c}
}

// buildFunnels reads FUNNEL_CONFIG_PATH (or --funnels), relative to the
// .env file, and turns its funnels into traffic.funnels.
func (m *migration) buildFunnels() {
	st := m.get("FUNNEL_CONFIG_PATH")
	var path string
	switch {
	case m.opts.FunnelsFile != "":
		path = m.opts.FunnelsFile
	case st.set():
		path = m.sidePath(strings.TrimSpace(st.value))
	default:
		m.report(diag.Info, m.file, posOf(st), "", "FUNNEL_CONFIG_PATH is not set: the legacy loader read /app/data/funnels.json inside its "+
			"container (the Control UI wrote it); the scenario has no funnels", "pass --funnels FILE with a copy of that file to migrate them")
		return
	}
	data, err := m.readSide(path, maxFunnelsSize)
	switch {
	case err != nil && notExist(err) && m.opts.FunnelsFile == "":
		m.warn(st, "", "pass --funnels FILE with a copy of the file",
			"the funnel file %s does not exist: the legacy loader then ran without funnels, and so does the scenario", path)
		return
	case err != nil:
		m.report(diag.Error, path, diag.Pos{}, "", "cannot read the funnel file: "+errText(err), "")
		return
	}
	m.sources[path] = data
	ff := &funnelFile{path: path, data: data}
	root, err := parseJSON(data)
	if err != nil {
		je, _ := err.(*jsonError)
		m.report(diag.Error, path, ff.pos(je.off), "", je.msg+" (the legacy loader ran without funnels on it)", "")
		return
	}
	if root.kind != 'a' {
		m.report(diag.Error, path, ff.pos(root.off), "", "a funnel file is a JSON array of funnels, not "+root.describe()+
			" (the legacy loader ran without funnels on it)", "")
		return
	}
	var out []model.Funnel
	for i, it := range root.items {
		if f, ok := m.funnel(ff, i, it); ok {
			out = append(out, f)
		}
	}
	m.uniqueFunnelNames(ff, out)
	m.renumberPriorities(out)
	m.s.Traffic.Funnels = out
	if len(out) > 0 {
		m.c.from("/traffic/funnels", "from "+relName(m.file, path))
	}
}

// relName names a side file for the YAML, without the directories of the
// machine it was migrated on.
func relName(envFile, path string) string {
	if rel := strings.TrimPrefix(path, strings.TrimSuffix(envFile, baseName(envFile))); rel != path {
		return rel
	}
	return baseName(path)
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// funnel maps one entry; ok is false when the legacy loader skipped it
// (then it is left out, with a warning that says why).
func (m *migration) funnel(ff *funnelFile, i int, it *jsonValue) (model.Funnel, bool) {
	var f model.Funnel
	label := fmt.Sprintf("funnel %d", i+1)
	skip := func(off int, format string, a ...any) (model.Funnel, bool) {
		msg := fmt.Sprintf(format, a...)
		m.report(diag.Warning, ff.path, ff.pos(off), "", label+": "+msg+"; the legacy loader skipped it, and the scenario leaves it out", "")
		m.drop("%s of %s: %s.", label, baseName(ff.path), msg)
		return f, false
	}
	if it.kind != 'o' {
		return skip(it.off, "is %s, not an object", it.describe())
	}
	m.unknownMembers(it, funnelFields, "funnel", ff.pos, ff.path)
	f.Name = "Unnamed Funnel"
	nameOff := it.off
	if v := it.get("name"); v != nil && v.kind == 's' && strings.TrimSpace(v.str) != "" {
		f.Name, nameOff = v.str, v.off
	}
	label = fmt.Sprintf("funnel %d (%q)", i+1, clipRunes(f.Name, 40))
	if v := it.get("description"); v != nil && v.kind == 's' {
		f.Description = v.str
	}
	// Everything that makes the legacy loader skip the entry comes first,
	// so that no note is left on the path of a funnel that is not kept.
	prob := 0.0
	pv := it.get("probability")
	if pv != nil {
		var ok bool
		if prob, ok = pv.float(); !ok {
			return skip(pv.off, "probability %s is not a number", pv.describe())
		}
	}
	if v := it.get("priority"); v != nil {
		pr, ok := v.int()
		if !ok || pr > maxInt32 || pr < -maxInt32 {
			return skip(v.off, "priority %s is not a whole number", v.describe())
		}
		f.Priority = int(pr)
	}
	steps := it.get("steps")
	if steps == nil || steps.kind != 'a' || len(steps.items) == 0 {
		off := it.off
		if steps != nil {
			off = steps.off
		}
		return skip(off, "has no steps")
	}
	for j, sv := range steps.items {
		if sv.kind != 'o' {
			return skip(sv.off, "step %d is %s, not an object", j+1, sv.describe())
		}
		t := sv.get("type")
		if t == nil || t.kind != 's' || !slices.Contains(stepTypes, t.str) {
			what := "no type"
			if t != nil {
				what = "type " + t.describe()
			}
			if t != nil && t.kind == 's' {
				if s := schema.Suggest(t.str, stepTypes); s != "" {
					what += fmt.Sprintf(" (did you mean %q?)", s)
				}
			}
			return skip(sv.off, "step %d has %s", j+1, what)
		}
		if j == 0 && t.str != "pageview" {
			return skip(t.off, "its first step is %s, not a pageview", t.str)
		}
		if bad := delayProblem(sv); bad != nil {
			return skip(bad.off, "step %d has a delay that is not a number (%s)", j+1, bad.describe())
		}
	}

	p := "/traffic/funnels/" + itoa(m.funnelCount)
	on := true
	if v := it.get("enabled"); v != nil {
		on = v.truthy()
		if v.kind != 'b' {
			m.report(diag.Warning, ff.path, ff.pos(v.off), p+"/enabled",
				fmt.Sprintf("%s has \"enabled\": %s, which the legacy loader read as %t (Python truthiness), so the funnel %s; the scenario keeps that",
					label, v.describe(), on, map[bool]string{true: "ran", false: "did not run"}[on]),
				"write true or false")
		}
	}
	f.Enabled = &on
	if c := math.Min(math.Max(prob, 0), 1); c != prob {
		m.report(diag.Warning, ff.path, ff.pos(pv.off), p+"/probability",
			fmt.Sprintf("%s: probability %s is clamped to %s, as the legacy loader clamped it", label, fmtNum(prob), fmtNum(c)), "")
		prob = c
	}
	f.Probability = prob
	exit := true
	if v := it.get("exit_after_completion"); v != nil {
		exit = v.truthy()
		if !exit {
			m.report(diag.Warning, ff.path, ff.pos(v.off), p+"/exit_after_completion",
				label+" has exit_after_completion false: the legacy loader then started a second visit with a new visitor id; "+
					"trafficinator goes on browsing within the same visit", "")
		}
	}
	f.ExitAfterCompletion = &exit
	m.funnelSteps(ff, &f, p, label, steps.items)
	if !on {
		m.c.note(p, "Disabled in the legacy file; kept disabled.")
	}
	m.funnelCount++
	m.funnelNameOffs = append(m.funnelNameOffs, nameOff)
	return f, true
}

// delayProblem returns a delay value the loader could not read as a
// number, or nil.
func delayProblem(sv *jsonValue) *jsonValue {
	for _, k := range []string{"delay_seconds_min", "delay_seconds_max"} {
		if v := sv.get(k); v != nil {
			if _, ok := v.float(); !ok {
				return v
			}
		}
	}
	return nil
}

// uniqueFunnelNames renames duplicates: the scenario needs unique names
// (reports count funnels by name); the legacy loader did not care.
func (m *migration) uniqueFunnelNames(ff *funnelFile, fs []model.Funnel) {
	seen := map[string]bool{}
	for i := range fs {
		name := fs[i].Name
		if !seen[name] {
			seen[name] = true
			continue
		}
		n := 2
		for seen[fmt.Sprintf("%s (%d)", name, n)] {
			n++
		}
		fs[i].Name = fmt.Sprintf("%s (%d)", name, n)
		seen[fs[i].Name] = true
		m.report(diag.Warning, ff.path, ff.pos(m.funnelNameOffs[i]), fmt.Sprintf("/traffic/funnels/%d/name", i),
			fmt.Sprintf("funnel name %q is used twice; the second is renamed %q, since the scenario needs unique names", name, fs[i].Name), "")
	}
}

// renumberPriorities replaces negative priorities, which the legacy loader
// allowed and v1 does not, by their rank: the order is unchanged.
func (m *migration) renumberPriorities(fs []model.Funnel) {
	neg := false
	var ps []int
	for _, f := range fs {
		neg = neg || f.Priority < 0
		ps = append(ps, f.Priority)
	}
	if !neg {
		return
	}
	slices.Sort(ps)
	ps = slices.Compact(ps)
	for i := range fs {
		rank, _ := slices.BinarySearch(ps, fs[i].Priority)
		m.c.note(fmt.Sprintf("/traffic/funnels/%d/priority", i),
			fmt.Sprintf("The legacy priority %d is renumbered %d: priorities start at 0 here; the order of the funnels is unchanged.", fs[i].Priority, rank))
		fs[i].Priority = rank
	}
	m.report(diag.Warning, m.file, diag.Pos{}, "", "negative funnel priorities are renumbered from 0, keeping their order", "")
}

// itoa is for paths.
func itoa(i int) string { return strconv.Itoa(i) }
