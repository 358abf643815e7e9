// Package livepage is the live page of one run (apply --ui): the
// scenario, the phase, the progress, each target's figures, the policies,
// a chart and the last log lines, updated over Server-Sent Events from the
// same source that feeds Prometheus; then the final report, until the
// linger runs out. Its HTML, CSS and script are embedded (assets/) and
// served by runner/internal/ui/web, which makes it safe.
package livepage

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"sync"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/live"
	"github.com/trafficinator/trafficinator/runner/internal/ui/web"
	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/scenario"
)

//go:embed assets
var assets embed.FS

var index = template.Must(template.ParseFS(assets, "assets/index.html"))

// Interval is how often the page gets a new state: once a second, as the
// progress line; never per hit.
const Interval = time.Second

// Options configure the page.
type Options struct {
	Addr     string // HOST:PORT
	Token    string // required off loopback (web.CheckBind)
	Scenario string // shown before the run hands its source over
	// Stop asks for a graceful stop, as one Ctrl-C (the Stop button).
	Stop func()
	// Interval between states; Interval when 0 (tests go faster).
	Interval time.Duration
	// Secrets are redacted from a run error's message (Plan.Secrets):
	// targets redact theirs at the source; this is the second lock.
	Secrets []string
}

// Page is the live page's server.
type Page struct {
	srv     *web.Server
	hub     *web.Hub
	guard   *web.Guard
	stop    func()
	secrets []string

	mu       sync.Mutex
	b        *builder
	src      live.PageSource
	final    bool   // Finish was called: the state no longer changes
	report   []byte // the report's JSON, once the run is over
	stopping bool

	quit chan struct{}
	done chan struct{}
	once sync.Once
}

// Serve starts the page on o.Addr. It refuses a non-loopback address
// without a token (web.ErrTokenRequired).
func Serve(o Options) (*Page, error) {
	g, err := web.NewGuard(o.Token)
	if err != nil {
		return nil, err
	}
	p := &Page{hub: &web.Hub{}, guard: g, stop: o.Stop, secrets: o.Secrets, b: newBuilder(o.Scenario), quit: make(chan struct{}), done: make(chan struct{})}
	h, err := p.handler()
	if err != nil {
		return nil, err
	}
	p.publish(p.b.preflight())
	srv, err := web.Listen(o.Addr, o.Token, g.Wrap(h), p.hub)
	if err != nil {
		return nil, err
	}
	p.srv = srv
	interval := o.Interval
	if interval <= 0 {
		interval = Interval
	}
	go p.loop(interval)
	return p, nil
}

func (p *Page) handler() (http.Handler, error) {
	files, err := web.Assets(assets, "assets")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", p.serveIndex)
	mux.Handle("GET /app.js", files)
	mux.Handle("GET /app.css", files)
	mux.Handle("/events", p.hub)
	mux.Handle("/stop", web.Action(http.HandlerFunc(p.serveStop)))
	mux.HandleFunc("GET /report", p.serveReport)
	return mux, nil
}

// URL is the page's address (never with the token).
func (p *Page) URL() string { return p.srv.URL() }

// Addr is the address listened on.
func (p *Page) Addr() string { return p.srv.Addr() }

// Clients is the number of event streams open now.
func (p *Page) Clients() int { return p.hub.Clients() }

// Dropped is the number of streams dropped so far for not keeping up.
func (p *Page) Dropped() int { return p.hub.Dropped() }

// Attach hands the run's source over: from now on the page shows it. A
// source without the page's figures (not a live.PageSource) is ignored.
func (p *Page) Attach(src live.Source) {
	ps, ok := src.(live.PageSource)
	if !ok {
		return
	}
	p.mu.Lock()
	p.src = ps
	p.mu.Unlock()
}

// Finish shows the final report (nil when the run ended without one, with
// err saying why) and stops the updates.
func (p *Page) Finish(r *report.Report, runErr error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.final {
		return
	}
	p.final = true
	v := p.b.preflight()
	if p.src != nil {
		v = p.b.view(p.src, time.Now())
	}
	v.Phase = live.PhaseDone
	v.Stopping = p.stopping
	switch {
	case r != nil:
		v.Report = reportView(r)
		if bf := r.Backfill; bf != nil && bf.Auto != nil && v.Backfill != nil {
			v.Backfill.SettledRPS = bf.Auto.SettledRPS // the report's word is the last
		}
		var buf bytes.Buffer
		if err := report.WriteJSON(&buf, r); err == nil {
			p.report = buf.Bytes()
		}
	case runErr != nil:
		v.Report = &ReportView{Outcome: "not run", Error: scenario.RedactString(runErr.Error(), p.secrets), Fired: []string{}}
	}
	p.publish(v)
}

// Linger keeps the page up for d after the run, or until ctx ends.
func (p *Page) Linger(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// Close ends the streams and the server.
func (p *Page) Close() error {
	p.once.Do(func() { close(p.quit); <-p.done })
	return p.srv.Stop()
}

// loop publishes the state every interval until Finish or Close.
func (p *Page) loop(interval time.Duration) {
	defer close(p.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-p.quit:
			return
		case now := <-t.C:
			p.mu.Lock()
			if !p.final && p.src != nil {
				v := p.b.view(p.src, now)
				v.Stopping = p.stopping
				if v.Phase == live.PhaseDone {
					// The traffic is over but the report is being built
					// (and verified): done comes with it, from Finish.
					v.Phase = live.PhaseGrace
				}
				p.publish(v)
			}
			p.mu.Unlock()
		}
	}
}

// publish sends v to every page as the retained state.
func (p *Page) publish(v View) {
	data, err := json.Marshal(v)
	if err != nil {
		return // the view holds plain figures and strings: cannot happen
	}
	p.hub.Publish("state", data, true)
}

func (p *Page) serveIndex(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = index.Execute(w, struct{ CSRF string }{p.guard.CSRF()})
}

// serveStop asks for a graceful stop, once: as the first Ctrl-C. A second
// press does nothing more (Ctrl-C in the terminal stops at once).
func (p *Page) serveStop(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	over := p.final
	first := !p.stopping && !over
	p.stopping = p.stopping || !over
	p.mu.Unlock()
	if over {
		http.Error(w, "the run is over", http.StatusConflict)
		return
	}
	if first && p.stop != nil {
		p.stop()
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_, _ = w.Write([]byte(`{"stopping":true}` + "\n"))
}

// ErrNoReport is the answer to report before the run is over.
var ErrNoReport = errors.New("the report is not ready: the run goes on")

func (p *Page) serveReport(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	data := p.report
	p.mu.Unlock()
	if data == nil {
		http.Error(w, ErrNoReport.Error(), http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="report.json"`)
	_, _ = w.Write(data)
}
