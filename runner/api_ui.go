package runner

import (
	"github.com/trafficinator/trafficinator/runner/internal/ui/livepage"
	"github.com/trafficinator/trafficinator/runner/internal/ui/web"
)

// LivePage is the live page of one run (apply --ui, docs/ui.md).
type LivePage = livepage.Page

// LivePageOptions configure the live page.
type LivePageOptions = livepage.Options

// ServeLivePage starts the live page; it refuses a non-loopback address
// without a token (ErrUITokenRequired). Attach it to a run through
// Options.Live, then Finish, Linger and Close it after the run.
func ServeLivePage(o LivePageOptions) (*LivePage, error) { return livepage.Serve(o) }

// CheckUIBind refuses a non-loopback address without a token
// (ErrUITokenRequired), and an address that is not HOST:PORT.
func CheckUIBind(addr, token string) error { return web.CheckBind(addr, token) }

// ErrUITokenRequired is why a page refuses to serve on a non-loopback
// address without a token.
var ErrUITokenRequired = web.ErrTokenRequired

// UITokenEnv is the environment variable a page's token may come from
// instead of --ui-token (which would show in the process list).
const UITokenEnv = "TRAFFICINATOR_UI_TOKEN"
