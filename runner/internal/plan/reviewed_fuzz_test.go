package plan

import (
	"bytes"
	"os"
	"testing"
)

// FuzzReadDocument: any bytes give a plan or an error, never a panic, and
// a plan read back compares equal to itself.
func FuzzReadDocument(f *testing.F) {
	golden, err := os.ReadFile("testdata/optional.plan.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][]byte{
		golden, []byte(""), []byte("{}"), []byte("[]"), []byte("null"), []byte(`{"apiVersion": "trafficinator/v1", "kind": "Plan"}`),
		[]byte(`{"apiVersion": "trafficinator/v1", "kind": "Plan", "overrides": {"seed": -1}}`),
		[]byte(`{"apiVersion": "trafficinator/v1", "kind": "Plan", "seed": 1e400, "overrides": {"now": "x"}}`),
		[]byte(`{"apiVersion": "trafficinator/v1", "kind": "Plan"} {}`), golden[:len(golden)/2],
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rv, err := ReadDocument(bytes.NewReader(data), func(any) string { return "" })
		if err != nil {
			if rv != nil {
				t.Fatal("a plan and an error")
			}
			return
		}
		if rv.Doc["kind"] != Kind {
			t.Fatalf("read a document of kind %v", rv.Doc["kind"])
		}
		if ch := Compare(rv.Doc, rv.Doc); len(ch) != 0 {
			t.Fatalf("a plan differs from itself: %v", ch)
		}
		_, _ = rv.Overrides.Options(rv.Seed)
	})
}
