package exec

import (
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// request converts a transport result into a metrics record.
func request(res kind.Result, kinds []kind.HitKind) metrics.Request {
	q := metrics.Request{
		OK: res.OK, Rejected: res.Rejected, Failed: res.Failed, Unknown: res.Unknown,
		Status: res.Status, Attempts: res.Attempts, Latency: res.Latency, ErrKind: res.ErrKind,
	}
	for _, k := range kinds {
		q.Hits[k]++
	}
	if res.Err != nil {
		q.ErrMsg = res.Err.Error()
	}
	return q
}

// recordFunnel counts a funnel visit once it ends, with the steps whose
// hits were sent (sent is the number of the job's hits that went out).
func recordFunnel(t *Target, job *Job, sent int) {
	if job.Funnel == "" {
		return
	}
	steps := 0
	for _, h := range job.Hits[:sent] {
		steps = max(steps, h.Step)
	}
	t.Recorder.RecordFunnel(job.Funnel, steps, job.FunnelSteps)
}
