// Package kind is the contract between the engine and the target kinds: what
// a kind is (Kind), the one value that holds a target's settings
// (Settings), the protocol-neutral hit the engine hands to a kind (HitKind,
// Params) and the result a kind answers with (Result).
//
// A kind lives in a folder of its own under targets/ and is named once, in
// the registry (targets/registry.go). The engine (runner/exec) knows only
// this package: it never sees a wire format.
//
// This package imports nothing from scenario/ or runner/.
package kind
