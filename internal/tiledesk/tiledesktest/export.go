package tiledesktest

import "net/http"

// What the programs and tests around the local API use of its internals.

// Abort drops the request's connection without an answer, as the local API
// and the proxy do for their dropped-connection faults: for test hooks in
// front of them (a server that is gone before it answers).
func Abort(w http.ResponseWriter) { abort(w) }
