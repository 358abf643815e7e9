// Package web is what every page Trafficinator serves shares: the guard
// that decides who may ask what (bind rule, token, CSRF, origin, security
// headers), the Server-Sent Events hub that never lets a slow browser slow
// the run, and the handler of embedded assets. The live page of a run
// (apply --ui) and the control page (trafficinator ui) build on it, so
// both are safe in the same way.
package web
