package runner

import (
	"fmt"
	"sync"
	"time"

	"github.com/trafficinator/trafficinator/scenario"
)

// logLines is how many log lines the live page shows.
const logLines = 50

// logRing keeps the last log lines of a run for the live page, each
// stamped as the terminal shows it. Every line, on the terminal too, is
// redacted of the plan's secrets: the messages of targets are redacted at
// their source already; this is the second lock on the door, since a page
// may be served to a network.
type logRing struct {
	secrets []string
	mu      sync.Mutex
	lines   []string // at most logLines; next is the oldest once full
	next    int
}

func newLogRing(secrets []string) *logRing {
	return &logRing{secrets: secrets, lines: make([]string, 0, logLines)}
}

// tee returns a Logf that redacts the line, passes it to next and keeps
// it. Log lines are events of the run (a pause, a firing), never one per
// hit, so formatting each once here costs nothing that matters.
func (l *logRing) tee(next func(string, ...any)) func(string, ...any) {
	return func(format string, args ...any) {
		line := scenario.RedactString(fmt.Sprintf(format, args...), l.secrets)
		next("%s", line)
		l.add(time.Now().UTC().Format("15:04:05") + " " + line)
	}
}

func (l *logRing) add(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.lines) < logLines {
		l.lines = append(l.lines, line)
		return
	}
	l.lines[l.next] = line
	l.next = (l.next + 1) % logLines
}

// last returns the lines kept, oldest first.
func (l *logRing) last() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, 0, len(l.lines))
	out = append(out, l.lines[l.next:]...)
	return append(out, l.lines[:l.next]...)
}
