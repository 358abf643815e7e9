package plan

import "testing"

func TestBulkRequestsPacksAsTheBatcher(t *testing.T) {
	for _, c := range []struct {
		name        string
		sizes       []int
		bulk, conc  int
		want        int64
		explanation string
	}{
		{"no bulk", []int{3, 4}, 0, 5, 7, "one request per hit"},
		{"one in flight", []int{3, 12, 5}, 5, 1, 1 + 3 + 1, "each group alone: 3 | 5 5 2 | 5"},
		{"fit", []int{3, 2, 4, 1}, 5, 10, 2, "3+2 full, 4+1 full"},
		{"overflow", []int{3, 3, 3}, 5, 10, 3, "3 | 3 | 3: the next never fits"},
		{"in flight caps", []int{1, 1, 1, 1}, 10, 2, 2, "1+1 while both wait, then 1+1"},
		// 12 hits go in groups 5, 5, 2, each after the previous was
		// answered: [5] full; then 1 (the other visit) and 5 queue, and
		// [1] goes alone since 5 does not fit; [5] full; [2].
		{"long visit", []int{12, 1}, 5, 2, 4, "5 | 1 | 5 | 2"},
	} {
		if got := bulkRequests(c.sizes, c.bulk, c.conc); got != c.want {
			t.Errorf("%s: %d requests, want %d (%s)", c.name, got, c.want, c.explanation)
		}
	}
}
