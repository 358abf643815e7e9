package exec

import (
	"github.com/trafficinator/trafficinator/runner/metrics"
	"github.com/trafficinator/trafficinator/targets/matomo"
)

// request converts a transport result into a metrics record.
func request(res matomo.Result, kinds []metrics.Kind) metrics.Request {
	q := metrics.Request{
		OK: res.OK, Rejected: res.Rejected, Failed: res.Failed,
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
