package report_test

import (
	"bytes"
	"testing"

	"github.com/trafficinator/trafficinator/runner/report"
)

// The junit format of a diff, exactly: one case per compared figure of
// each target and the total; the p95 of eu and of the total regressed
// beyond both --max-p95-increase 20% and 24ms (one failure each, with both
// messages), eu's error rate stayed within 0.05, "old" is only in the baseline and "quiet" has no answered request
// in the current run (skipped).
func TestDiffJUnit(t *testing.T) {
	base := crafted("base", tgt("total", 990, 10, 20, 100, 150, 10), tgt("eu", 990, 10, 20, 100, 150, 10),
		tgt("old", 1, 0, 1, 1, 1, 1), tgt("quiet", 5, 0, 1, 2, 3, 1))
	cur := crafted("cur", tgt("total", 970, 30, 22, 125, 160, 9), tgt("eu", 970, 30, 22, 125, 160, 9),
		tgt("quiet", 0, 0, 0, 0, 0, 0.5))
	d := report.Compare(base, cur, report.Thresholds{MaxP95IncreasePct: pct(20), MaxP95IncreaseMs: pct(24), MaxErrorRateIncrease: pct(0.05)})
	var b bytes.Buffer
	if err := report.DiffFormats.Write(&b, "junit", d); err != nil {
		t.Fatal(err)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="shop" tests="16" failures="2" errors="0" time="0">
  <testsuite name="shop" tests="16" failures="2" errors="0" skipped="5" time="0">
    <properties>
      <property name="baseline.source" value="base.json"></property>
      <property name="baseline.run.id" value="base"></property>
      <property name="baseline.run.outcome" value="passed"></property>
      <property name="current.source" value="cur.json"></property>
      <property name="current.run.id" value="cur"></property>
      <property name="current.run.outcome" value="passed"></property>
      <property name="thresholds" value="at most p95 +20%, p95 +24 ms, error rate +0.05"></property>
    </properties>
    <testcase name="p50_ms" classname="shop.eu" time="0">
      <system-out><![CDATA[20 → 22 (+10.0%)
]]></system-out>
    </testcase>
    <testcase name="p95_ms" classname="shop.eu" time="0">
      <failure message="eu: p95 100 → 125 ms (+25.0%) exceeds --max-p95-increase 20%; eu: p95 100 → 125 ms (+25.000 ms) exceeds --max-p95-increase 24ms" type="regression"><![CDATA[eu: p95 100 → 125 ms (+25.0%) exceeds --max-p95-increase 20%
eu: p95 100 → 125 ms (+25.000 ms) exceeds --max-p95-increase 24ms
]]></failure>
      <system-out><![CDATA[100 → 125 (+25.0%)
]]></system-out>
    </testcase>
    <testcase name="p99_ms" classname="shop.eu" time="0">
      <system-out><![CDATA[150 → 160 (+6.7%)
]]></system-out>
    </testcase>
    <testcase name="error_rate" classname="shop.eu" time="0">
      <system-out><![CDATA[1.00% → 3.00% (+2.00 pt)
]]></system-out>
    </testcase>
    <testcase name="achieved_rate" classname="shop.eu" time="0">
      <system-out><![CDATA[10.00 → 9.00 (-10.0%)
]]></system-out>
    </testcase>
    <testcase name="presence" classname="shop.old" time="0">
      <skipped message="only in baseline: nothing to compare"></skipped>
    </testcase>
    <testcase name="p50_ms" classname="shop.quiet" time="0">
      <skipped message="no data: a side has no answered request"></skipped>
    </testcase>
    <testcase name="p95_ms" classname="shop.quiet" time="0">
      <skipped message="no data: a side has no answered request"></skipped>
    </testcase>
    <testcase name="p99_ms" classname="shop.quiet" time="0">
      <skipped message="no data: a side has no answered request"></skipped>
    </testcase>
    <testcase name="error_rate" classname="shop.quiet" time="0">
      <skipped message="no data: a side has no answered request"></skipped>
    </testcase>
    <testcase name="achieved_rate" classname="shop.quiet" time="0">
      <system-out><![CDATA[1.00 → 0.50 (-50.0%)
]]></system-out>
    </testcase>
    <testcase name="p50_ms" classname="shop.total" time="0">
      <system-out><![CDATA[20 → 22 (+10.0%)
]]></system-out>
    </testcase>
    <testcase name="p95_ms" classname="shop.total" time="0">
      <failure message="total: p95 100 → 125 ms (+25.0%) exceeds --max-p95-increase 20%; total: p95 100 → 125 ms (+25.000 ms) exceeds --max-p95-increase 24ms" type="regression"><![CDATA[total: p95 100 → 125 ms (+25.0%) exceeds --max-p95-increase 20%
total: p95 100 → 125 ms (+25.000 ms) exceeds --max-p95-increase 24ms
]]></failure>
      <system-out><![CDATA[100 → 125 (+25.0%)
]]></system-out>
    </testcase>
    <testcase name="p99_ms" classname="shop.total" time="0">
      <system-out><![CDATA[150 → 160 (+6.7%)
]]></system-out>
    </testcase>
    <testcase name="error_rate" classname="shop.total" time="0">
      <system-out><![CDATA[1.00% → 3.00% (+2.00 pt)
]]></system-out>
    </testcase>
    <testcase name="achieved_rate" classname="shop.total" time="0">
      <system-out><![CDATA[10.00 → 9.00 (-10.0%)
]]></system-out>
    </testcase>
  </testsuite>
</testsuites>
`
	if b.String() != want {
		t.Errorf("diff JUnit\n%s\nwant\n%s", b.String(), want)
	}
}
