package runner

import (
	"fmt"
	"strings"
	"testing"
)

// TestLogRingKeepsTheLastLinesRedacted: the live page's log keeps the last
// 50 lines, oldest first; every line, on the page and on the terminal, is
// without the plan's secrets, raw or quoted.
func TestLogRingKeepsTheLastLinesRedacted(t *testing.T) {
	const secret = "s3cr3t-token-value"
	l := newLogRing([]string{secret, ""})
	var passed []string
	logf := l.tee(func(format string, args ...any) { passed = append(passed, fmt.Sprintf(format, args...)) })
	for i := range 60 {
		logf("line %d", i)
	}
	logf("target said %q about token_auth=%s", secret, secret)
	got := l.last()
	if len(got) != logLines {
		t.Fatalf("%d lines kept, want %d", len(got), logLines)
	}
	if !strings.HasSuffix(got[0], " line 11") || !strings.HasSuffix(got[48], " line 59") {
		t.Errorf("kept %q … %q, want line 11 … line 59 then the last", got[0], got[48])
	}
	last := got[logLines-1]
	if strings.Contains(last, secret) || !strings.HasSuffix(last, ` target said "[redacted]" about token_auth=[redacted]`) {
		t.Errorf("last line %q: the secret must be redacted", last)
	}
	if len(passed) != 61 || passed[60] != `target said "[redacted]" about token_auth=[redacted]` || passed[0] != "line 0" {
		t.Errorf("the terminal's Logf got %d lines, the first %q, the last %q: all of them, redacted, without the page's time stamp", len(passed), passed[0], passed[len(passed)-1])
	}
}
