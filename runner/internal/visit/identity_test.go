package visit

import (
	"slices"
	"testing"
)

// TestRunIDKeysTheVisitor: two runs of one seed with different run ids
// share no visitor id and differ in fingerprint, and send otherwise the
// same visits (pages, actions, times); the same run id reproduces every
// byte.
func TestRunIDKeysTheVisitor(t *testing.T) {
	const n = 20000
	a, b := busyConfig(), busyConfig()
	b.RunID = "run2"
	ids := make(map[string]bool, n)
	for i := range uint64(n) {
		ids[Generate(a, 42, i).VisitorID] = true
	}
	sameFingerprint := 0
	for i := range uint64(n) {
		va, vb, again := Generate(a, 42, i), Generate(b, 42, i), Generate(a, 42, i)
		if ids[vb.VisitorID] {
			t.Fatalf("visit %d of run2 has visitor id %s, which run1 uses", i, vb.VisitorID)
		}
		if va.UserAgent == vb.UserAgent && va.Lang == vb.Lang && va.Plugins == vb.Plugins && va.IP == vb.IP {
			sameFingerprint++
		}
		if len(va.Pages) != len(vb.Pages) || va.Pages[0] != vb.Pages[0] || va.Duration != vb.Duration || len(va.Hits) != len(vb.Hits) {
			t.Fatalf("visit %d: the run id changed more than the visitor", i)
		}
		for k := range va.Hits {
			if !slices.Equal(va.Hits[k].Params, again.Hits[k].Params) {
				t.Fatalf("visit %d hit %d differs between two generations of one run", i, k)
			}
		}
	}
	if sameFingerprint > 0 {
		t.Errorf("%d of %d visits have the same fingerprint (with cip) in both runs", sameFingerprint, n)
	}
}
