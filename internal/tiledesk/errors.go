package tiledesk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// APIError is an answer from the server (or a proxy in front of it) with a
// status outside 2xx, or a 2xx answer that could not be read.
type APIError struct {
	StatusCode int
	Method     string
	// Path is relative to the API base URL, without the query.
	Path string
	// Message is what the server said, whatever the body's shape, or the
	// status text when it said nothing.
	Message string
	// Attempts is how many times the request was sent.
	Attempts int
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("%s %s: HTTP %d", e.Method, e.Path, e.StatusCode)
	if t := http.StatusText(e.StatusCode); t != "" {
		s += " " + t
	}
	if e.Message != "" && e.Message != http.StatusText(e.StatusCode) {
		s += ": " + e.Message
	}
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

// RequestError is a request that got no answer: the connection failed, the
// per-attempt timeout passed, or the context ended.
type RequestError struct {
	Method   string
	Path     string
	Attempts int
	// Timeout is set when no answer came within the client's timeout.
	Timeout time.Duration
	// MaybeProcessed is set when the request reached the server before the
	// failure, so a write may have happened although no answer came back.
	MaybeProcessed bool
	Err            error
}

func (e *RequestError) Error() string {
	var cause string
	switch {
	case e.Timeout > 0:
		cause = fmt.Sprintf("no answer within the request timeout of %s", e.Timeout)
	case errors.Is(e.Err, context.Canceled):
		cause = "cancelled"
	case errors.Is(e.Err, context.DeadlineExceeded):
		cause = "the operation's deadline passed"
	default:
		cause = e.Err.Error()
	}
	s := fmt.Sprintf("%s %s: %s", e.Method, e.Path, cause)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

func (e *RequestError) Unwrap() error { return e.Err }

func (c *Client) requestError(ctx context.Context, method, path string, a *attempt, err error) *RequestError {
	e := &RequestError{
		Method:         method,
		Path:           path,
		Attempts:       a.number(),
		MaybeProcessed: method != http.MethodGet && a.wrote.Load() && !isDialError(err),
		Err:            &redactedError{msg: c.redact.Replace(unwrapURLError(err).Error()), err: err},
	}
	if ctx.Err() == nil && isTimeout(err) {
		e.Timeout = c.timeout
	}
	return e
}

// unwrapURLError drops the *url.Error layer, which repeats the method and
// the URL that RequestError already names.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// redactedError carries a message with secrets removed while keeping the
// original error reachable for errors.Is/As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func newAPIError(method, path string, resp *http.Response, body []byte, attempts int, r interface{ Replace(string) string }) *APIError {
	e := &APIError{
		StatusCode: resp.StatusCode,
		Method:     method,
		Path:       path,
		Attempts:   attempts,
		Message:    ErrorMessage(resp.Header.Get("Content-Type"), []byte(r.Replace(string(body)))),
	}
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		e.RetryAfter = d
	}
	return e
}

const maxMessage = 300

var (
	htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	htmlPre   = regexp.MustCompile(`(?is)<pre[^>]*>(.*?)</pre>`)
	htmlTag   = regexp.MustCompile(`(?s)<[^>]*>`)
	spaces    = regexp.MustCompile(`\s+`)
)

// ErrorMessage extracts what a server said from an error body of any shape:
// JSON with "msg", "message", "error" or "err"; an HTML page (its title, or
// its text); plain text. It returns "" when the body says nothing.
func ErrorMessage(contentType string, body []byte) string {
	text := strings.TrimSpace(string(body))
	if text == "" {
		return ""
	}
	if text[0] == '{' {
		var fields map[string]json.RawMessage
		if json.Unmarshal(body, &fields) == nil {
			for _, k := range []string{"msg", "message", "error", "err", "errors"} {
				if m := jsonText(fields[k]); m != "" {
					return truncate(m)
				}
			}
			return truncate(spaces.ReplaceAllString(text, " "))
		}
	}
	if strings.Contains(strings.ToLower(contentType), "html") || strings.HasPrefix(text, "<") {
		// Express's error pages say it in <pre>; proxies' in <title>.
		if m := htmlPre.FindStringSubmatch(text); m != nil && strings.TrimSpace(m[1]) != "" {
			text = htmlTag.ReplaceAllString(m[1], " ")
		} else if m := htmlTitle.FindStringSubmatch(text); m != nil && strings.TrimSpace(m[1]) != "" {
			text = htmlTag.ReplaceAllString(m[1], " ") // a title may hold tags too
		} else {
			text = htmlTag.ReplaceAllString(text, " ")
		}
		text = html.UnescapeString(text)
	}
	return truncate(strings.TrimSpace(spaces.ReplaceAllString(text, " ")))
}

// jsonText renders a JSON value found under an error key as text.
func jsonText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		for _, k := range []string{"msg", "message", "error"} {
			if m := jsonText(obj[k]); m != "" {
				return m
			}
		}
	}
	return spaces.ReplaceAllString(string(raw), " ")
}

// truncate makes s valid UTF-8 (a body may not be) and cuts it to
// maxMessage bytes.
func truncate(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage
	for cut > 0 && (s[cut]&0xC0) == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return s[:cut] + "…"
}

// describeBody names an unexpected body for an error message.
func describeBody(contentType string, body []byte) string {
	if len(strings.TrimSpace(string(body))) == 0 {
		return "an empty body"
	}
	if m := ErrorMessage(contentType, body); m != "" {
		ct := contentType
		if ct == "" {
			ct = "no content type"
		}
		return fmt.Sprintf("%s: %q", ct, m)
	}
	return "an unreadable body"
}

// StatusCode returns the HTTP status of an *APIError in err's chain, or 0.
func StatusCode(err error) int {
	var e *APIError
	if errors.As(err, &e) {
		return e.StatusCode
	}
	return 0
}

// MayHaveCreated reports whether a failed create (POST) leaves open whether
// the server saved the object, so that sending it again could duplicate it.
// It is the one place that classifies a POST's outcome:
//   - the request reached the server and no answer came back: the connection
//     dropped, request_timeout passed, or the caller was cancelled after the
//     request was written (MaybeProcessed);
//   - any 5xx answer: a gateway in front of the server may answer 502, 503 or
//     504 while the backend finishes and saves the object, and the server
//     itself may fail after saving it.
//
// Everything else proves that nothing was created: 4xx answers (429
// included, which the client retries itself), connection refused, and
// requests that never left the client. Only these may simply be sent again.
func MayHaveCreated(err error) bool {
	var re *RequestError
	if errors.As(err, &re) {
		return re.MaybeProcessed
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Method == http.MethodPost && ae.StatusCode >= 500 && ae.StatusCode <= 599
	}
	return false
}
