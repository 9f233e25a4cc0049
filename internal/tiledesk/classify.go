package tiledesk

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Kind is what a failed request means for its caller: the one
// classification of the client's errors by status and cause. Callers map a
// Kind to advice; they never look at status codes themselves.
type Kind int

// The kinds of failure Classify tells apart.
const (
	// KindOther is any other error: another status, an answer that could not
	// be read, or an error that is not the client's.
	KindOther Kind = iota
	// KindTimeout: no answer came within the client's per-request timeout.
	KindTimeout
	// KindCanceled: the caller's context ended before an answer came.
	KindCanceled
	// KindUnreachable: the request got no answer for another reason
	// (connection refused or dropped, DNS, TLS).
	KindUnreachable
	// KindUnauthorized: 401, missing or wrong credentials.
	KindUnauthorized
	// KindForbidden: 403, not a member of the project, or a role below agent.
	KindForbidden
	// KindBadRequest: 400, which the server also answers for a malformed
	// project id.
	KindBadRequest
	// KindRateLimited: 429 after every retry.
	KindRateLimited
	// KindServerError: any 5xx.
	KindServerError
	// KindNotFound: 404, an unknown object or a base URL that does not serve
	// the API.
	KindNotFound
	// KindKeyTaken: the write would give an object the key of another
	// object of the project (a *KeyTakenError), whatever the server answered.
	KindKeyTaken
)

// Classify says what err, returned by a Client method, means.
func Classify(err error) Kind {
	if taken := (*KeyTakenError)(nil); errors.As(err, &taken) {
		return KindKeyTaken
	}
	var re *RequestError
	if errors.As(err, &re) {
		switch {
		case re.Timeout > 0:
			return KindTimeout
		case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
			return KindCanceled
		default:
			return KindUnreachable
		}
	}
	switch code := StatusCode(err); {
	case code == http.StatusUnauthorized:
		return KindUnauthorized
	case code == http.StatusForbidden:
		return KindForbidden
	case code == http.StatusBadRequest:
		return KindBadRequest
	case code == http.StatusTooManyRequests:
		return KindRateLimited
	case code >= 500:
		return KindServerError
	case code == http.StatusNotFound:
		return KindNotFound
	default:
		return KindOther
	}
}

// IsNotFound reports a 404 answer.
func IsNotFound(err error) bool { return Classify(err) == KindNotFound }

// TimeoutOf is the per-request timeout that err ran into, or 0.
func TimeoutOf(err error) time.Duration {
	var re *RequestError
	if errors.As(err, &re) {
		return re.Timeout
	}
	return 0
}
