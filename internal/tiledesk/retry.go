package tiledesk

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// attempt tracks one logical request across its retries: how many attempts
// were made and whether the current one put any byte on the wire. The latter
// decides whether a failed POST may be retried without risking a duplicate.
type attempt struct {
	method string
	count  atomic.Int32
	wrote  atomic.Bool
	// inFlight is set from the moment an attempt's headers are written until
	// the attempt is known to be retried: while it is set, a POST runs to
	// its end even when the caller's context is cancelled (see Client.do).
	inFlight atomic.Bool
	// caller is the caller's context. A POST runs on a context detached from
	// it; once caller is done, nothing new is sent.
	caller context.Context
}

func (a *attempt) number() int { return int(a.count.Load()) }

type attemptKey struct{}

// withAttempt stores a in ctx and traces the request so that a.wrote turns
// true as soon as the request's headers were written to a connection.
func withAttempt(ctx context.Context, a *attempt) context.Context {
	ctx = context.WithValue(ctx, attemptKey{}, a)
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteHeaders: func() {
			a.wrote.Store(true)
			a.inFlight.Store(true)
		},
	})
}

func attemptFrom(ctx context.Context) *attempt {
	a, _ := ctx.Value(attemptKey{}).(*attempt)
	return a
}

// beforeAttempt runs before every attempt (retryablehttp's RequestLogHook).
func (c *Client) beforeAttempt(_ retryablehttp.Logger, req *http.Request, retry int) {
	a := attemptFrom(req.Context())
	if a == nil {
		return
	}
	a.count.Add(1)
	a.wrote.Store(false)
	if retry > 0 {
		c.log.Debug(req.Context(), "Tiledesk API request retried", map[string]any{
			"method": req.Method, "path": req.URL.Path, "retry": retry,
		})
	}
}

// checkRetry is the retry policy:
//   - never after the context (the caller's, for a POST too) ended, after a
//     per-attempt timeout (a hung server would only hang again), or on a TLS
//     certificate error;
//   - GET, PUT and DELETE: connection errors, 429 and every 5xx but 501;
//   - POST, which is not idempotent: only 429 (refused before any work) and
//     errors raised before the request reached the server (connection
//     refused). Every other failure of a POST may have created the object
//     (see MayHaveCreated): the caller looks before it sends it again.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	retry := retryPolicy(ctx, resp, err)
	if a := attemptFrom(ctx); retry && a != nil {
		// The attempt is over and certainly created nothing: the next one
		// starts from scratch, and a stop may now end the wait before it.
		a.wrote.Store(false)
		a.inFlight.Store(false)
	}
	// Returning (false, nil) stops the retries; retryablehttp still returns
	// the request's own error to the caller.
	return retry, nil
}

func retryPolicy(ctx context.Context, resp *http.Response, err error) bool {
	a := attemptFrom(ctx)
	if ctx.Err() != nil || (a != nil && a.caller != nil && a.caller.Err() != nil) {
		return false
	}
	post := a != nil && a.method == http.MethodPost
	if err != nil {
		if isTimeout(err) || isCertError(err) {
			return false
		}
		if post {
			return !a.wrote.Load() || isDialError(err)
		}
		return true
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return true
	case post:
		return false // a 5xx may come from a gateway after the server saved the object
	default:
		return resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented
	}
}

// backoff waits as Retry-After says when the server said it (bounded by
// max; the context bounds it further), else exponentially with full jitter.
func backoff(minWait, maxWait time.Duration, n int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return min(d, maxWait)
		}
	}
	ceiling := minWait << min(n, 20)
	if ceiling <= 0 || ceiling > maxWait {
		ceiling = maxWait
	}
	// Full jitter in [minWait/2, ceiling]: spreads parallel retries apart.
	lo := minWait / 2
	if ceiling <= lo {
		return ceiling
	}
	return lo + rand.N(ceiling-lo+1)
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(h string, now time.Time) (time.Duration, bool) {
	if h == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(h); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(s) * time.Second, true
	}
	t, err := http.ParseTime(h)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func isDialError(err error) bool {
	var oe *net.OpError
	return errors.As(err, &oe) && oe.Op == "dial"
}

func isCertError(err error) bool {
	var unknown x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	return errors.As(err, &unknown) || errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &verify)
}
