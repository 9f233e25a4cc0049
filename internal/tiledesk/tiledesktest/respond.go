package tiledesktest

import (
	"bytes"
	"encoding/json"
	"html"
	"io"
	"mime"
	"net/http"
	"strconv"
)

// Messages of the routes' error bodies.
const (
	msgUpdateError     = "Error updating object."
	msgGetError        = "Error getting object."
	msgNotFound        = "Object not found."
	msgSegmentNotFound = "Error segment not found"
)

const (
	contentJSON = "application/json; charset=utf-8"
	contentText = "text/plain; charset=utf-8"
	contentHTML = "text/html; charset=utf-8"
)

// errorBody is the routes' error shape.
type errorBody struct {
	Success bool   `json:"success"`
	Msg     string `json:"msg"`
}

func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	if contentType == "" {
		w.Header()["Content-Type"] = nil // and no sniffing either
	} else {
		w.Header().Set("Content-Type", contentType)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeJSON answers v as JSON, like express's res.json.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := marshal(v)
	if err != nil {
		writeMsg(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeBody(w, status, contentJSON, b)
}

// writeMsg answers {"success":false,"msg":msg}.
func writeMsg(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Msg: msg})
}

// writeError answers {"success":false,"error":msg}, the shape of some
// routes' errors (a group's enable, disable and delete).
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"success": false, "error": msg})
}

// writeText answers the status text without a Content-Type, like passport.
func writeText(w http.ResponseWriter, status int) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="Users"`)
	}
	writeBody(w, status, "", []byte(http.StatusText(status)))
}

// writeHTML answers express's default (finalhandler) error page.
func writeHTML(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Security-Policy", "default-src 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	page := "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n" +
		"</head>\n<body>\n<pre>" + html.EscapeString(msg) + "</pre>\n</body>\n</html>\n"
	writeBody(w, status, contentHTML, []byte(page))
}

// writeCannot is express's 404 for a path no route matches.
func writeCannot(w http.ResponseWriter, r *http.Request) {
	writeHTML(w, http.StatusNotFound, "Cannot "+r.Method+" "+r.URL.EscapedPath())
}

// jsonBodyLimit is the server's JSON_BODY_LIMIT default, 500KB.
const jsonBodyLimit = 500 * 1024

// parseBodyFirst runs express.json() as the server does, in front of every
// route and check: a body declared as JSON that is too large answers 413,
// one that is not JSON or whose top-level value is neither object nor array
// answers the error handler's 500 {"err":"error"}. The body is kept for the
// handlers. false when the answer has been written.
func parseBodyFirst(w http.ResponseWriter, r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" || r.Body == nil {
		return true
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, jsonBodyLimit+1))
	switch {
	case err != nil:
		writeJSON(w, http.StatusInternalServerError, map[string]string{"err": "error"})
		return false
	case len(b) > jsonBodyLimit:
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]any{"err": "Request entity too large", "limit": jsonBodyLimit})
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	if b = bytes.TrimSpace(b); len(b) == 0 {
		return true
	}
	if !json.Valid(b) || (b[0] != '{' && b[0] != '[') {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"err": "error"})
		return false
	}
	return true
}

// readBody parses a request body like express.json(): a body that is not
// declared as JSON is ignored (empty object); invalid JSON, or a top-level
// value that is neither object nor array, is a 400. A JSON array parses but
// has no fields. ok is false when the answer has been written.
func readBody(w http.ResponseWriter, r *http.Request) (fields map[string]json.RawMessage, ok bool) {
	fields = map[string]json.RawMessage{}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		return fields, true
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		writeHTML(w, http.StatusBadRequest, "Bad Request")
		return nil, false
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return fields, true
	}
	if !json.Valid(b) || (b[0] != '{' && b[0] != '[') {
		writeHTML(w, http.StatusBadRequest, "Bad Request")
		return nil, false
	}
	if b[0] == '{' {
		_ = json.Unmarshal(b, &fields)
	}
	return fields, true
}
