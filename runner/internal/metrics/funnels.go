package metrics

// FunnelCounts are the figures of one funnel: visits that started it,
// visits that sent every step, and visits that reached each step
// (Steps[i] counts visits whose step i+1 was sent: the conversions).
type FunnelCounts struct {
	Started   int64   `json:"started"`
	Completed int64   `json:"completed"`
	Steps     []int64 `json:"steps"`
}

// RecordFunnel counts a funnel visit that sent its steps up to sent of
// total.
func (r *Recorder) RecordFunnel(name string, sent, total int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range [...]*Counters{&r.c, r.win.current()} {
		c.Funnels = addFunnel(c.Funnels, name, sent, total, 1)
	}
}

// addFunnel counts (sign 1) or takes back (sign −1) a funnel visit that
// sent its steps up to sent of total.
func addFunnel(m map[string]FunnelCounts, name string, sent, total int, sign int64) map[string]FunnelCounts {
	if m == nil {
		m = map[string]FunnelCounts{}
	}
	f := m[name]
	f.Started += sign
	if sent >= total {
		f.Completed += sign
	}
	if len(f.Steps) < total {
		f.Steps = append(f.Steps, make([]int64, total-len(f.Steps))...)
	}
	for i := 0; i < sent && i < len(f.Steps); i++ {
		f.Steps[i] += sign
	}
	m[name] = f
	return m
}

// addFunnels adds src into dst step by step.
func addFunnels(dst, src map[string]FunnelCounts) map[string]FunnelCounts {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = make(map[string]FunnelCounts, len(src))
	}
	for name, s := range src {
		d := dst[name]
		d.Started += s.Started
		d.Completed += s.Completed
		if len(d.Steps) < len(s.Steps) {
			d.Steps = append(d.Steps, make([]int64, len(s.Steps)-len(d.Steps))...)
		}
		for i, n := range s.Steps {
			d.Steps[i] += n
		}
		dst[name] = d
	}
	return dst
}

func cloneFunnels(m map[string]FunnelCounts) map[string]FunnelCounts {
	if m == nil {
		return nil
	}
	out := make(map[string]FunnelCounts, len(m))
	for k, v := range m {
		v.Steps = append([]int64(nil), v.Steps...)
		out[k] = v
	}
	return out
}
