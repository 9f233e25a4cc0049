// Package tiledesk is a typed client for the Tiledesk REST API: segments and
// leads. It knows HTTP, authentication, retries and the server's error shapes;
// it knows nothing of Terraform.
package tiledesk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// DefaultBaseURL is the Tiledesk cloud API.
const DefaultBaseURL = "https://api.tiledesk.com/v3"

// Defaults for Config fields left zero.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxRetries   = 4
	DefaultRetryWaitMin = 500 * time.Millisecond
	DefaultRetryWaitMax = 30 * time.Second
)

// maxBody caps how much of an answer is read, so that a misbehaving proxy
// cannot make the provider hold an unbounded body in memory.
const maxBody = 32 << 20

// Config configures a Client. Exactly one of Token or Email/Password is used.
type Config struct {
	// BaseURL is the API root: DefaultBaseURL, or a self-hosted server's root
	// such as http://localhost:3000. A trailing slash is ignored.
	BaseURL string
	// Token is a JWT, with or without its "JWT " prefix.
	Token string
	// Email and Password authenticate with HTTP Basic auth.
	Email    string
	Password string

	// Timeout bounds each HTTP attempt. Zero means DefaultTimeout.
	Timeout time.Duration
	// MaxRetries is how many times a failed request may be retried: nil
	// means DefaultMaxRetries, 0 none. Negative is an error.
	MaxRetries *int
	// RetryWaitMin and RetryWaitMax bound the backoff between attempts.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration

	// UserAgent is sent on every request.
	UserAgent string
	// Logger receives one line per request; nil logs nothing.
	Logger Logger
	// Transport overrides the HTTP transport (tests); nil uses a pooled,
	// keep-alive transport shared by every request of this client.
	Transport http.RoundTripper
}

// Client is safe for concurrent use; build one and share it.
type Client struct {
	base    *url.URL
	auth    string
	ua      string
	timeout time.Duration
	log     Logger
	redact  *strings.Replacer
	http    *retryablehttp.Client
	// cache holds the walks of projects' lists (list_cache.go).
	cache listCache
}

// NewClient validates cfg and builds a Client. The error never contains a
// secret.
func NewClient(cfg Config) (*Client, error) {
	base, err := ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	auth, err := authorization(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.MaxRetries != nil && *cfg.MaxRetries < 0 {
		return nil, fmt.Errorf("MaxRetries is %d: give 0 for no retries, or nil for the default (%d)", *cfg.MaxRetries, DefaultMaxRetries)
	}
	c := &Client{
		base:    base,
		auth:    auth,
		ua:      cfg.UserAgent,
		timeout: cfg.Timeout,
		log:     cfg.Logger,
		redact:  newRedactor(cfg.Secrets()...),
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.ua == "" {
		c.ua = "terraform-provider-tiledesk"
	}
	if c.log == nil {
		c.log = nopLogger{}
	}

	transport := cfg.Transport
	if transport == nil {
		t := cleanhttp.DefaultPooledTransport()
		// Terraform runs up to 10 operations at once (-parallelism): keep that
		// many connections open, not the GOMAXPROCS+1 cleanhttp keeps.
		t.MaxIdleConnsPerHost = 16
		transport = t
	}
	rc := retryablehttp.NewClient()
	rc.HTTPClient = &http.Client{Transport: transport, Timeout: c.timeout}
	rc.Logger = nil
	rc.RetryMax = DefaultMaxRetries
	if cfg.MaxRetries != nil {
		rc.RetryMax = *cfg.MaxRetries
	}
	rc.RetryWaitMin = orDefault(cfg.RetryWaitMin, DefaultRetryWaitMin)
	rc.RetryWaitMax = orDefault(cfg.RetryWaitMax, DefaultRetryWaitMax)
	rc.CheckRetry = checkRetry
	rc.Backoff = backoff
	rc.RequestLogHook = c.beforeAttempt
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	c.http = rc
	return c, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// ParseBaseURL checks that raw is an absolute http(s) URL and drops a
// trailing slash. Empty means DefaultBaseURL.
func ParseBaseURL(raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		raw = DefaultBaseURL
	}
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("the API URL is not a URL (%v): use one such as %s or http://localhost:3000", safeParseError(err), DefaultBaseURL)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("the API URL %s is not an http(s) URL such as %s or http://localhost:3000", showURL(raw), DefaultBaseURL)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("the API URL %s must not carry credentials, a query or a fragment", showURL(raw))
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// showURL quotes a URL as written, but without its user info, query and
// fragment, which may hold secrets.
func showURL(raw string) string {
	s, _, _ := strings.Cut(raw, "#")
	s, _, _ = strings.Cut(s, "?")
	if i := strings.Index(s, "//"); i >= 0 { // the authority: drop the user info
		rest := s[i+2:]
		end := strings.IndexByte(rest, '/')
		if end < 0 {
			end = len(rest)
		}
		if at := strings.LastIndexByte(rest[:end], '@'); at >= 0 {
			s = s[:i+2] + rest[at+1:]
		}
	}
	return strconv.Quote(s)
}

// safeParseError keeps the reason of a URL parse error but not the URL it
// quotes.
func safeParseError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return "malformed"
}

// endpoint joins escaped path segments onto the base URL.
func (c *Client) endpoint(query url.Values, segments ...string) (full, path string) {
	var escaped, decoded strings.Builder
	for _, s := range segments {
		escaped.WriteByte('/')
		escaped.WriteString(url.PathEscape(s))
		decoded.WriteByte('/')
		decoded.WriteString(s)
	}
	path = escaped.String()
	u := *c.base
	u.RawPath = u.EscapedPath() + path
	u.Path += decoded.String()
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}
	return u.String(), path
}

// do sends one API request (with retries per the method's policy) and decodes
// a 2xx JSON answer into out. Any other outcome is an *APIError or a
// *RequestError.
func (c *Client) do(ctx context.Context, method string, query url.Values, body, out any, segments ...string) error {
	full, path := c.endpoint(query, segments...)
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return fmt.Errorf("encoding the %s %s request: %w", method, path, err)
		}
	}

	st := &attempt{method: method, caller: ctx}
	reqCtx := ctx
	if method == http.MethodPost {
		// A POST that was sent is finished, not abandoned, when the caller's
		// context is cancelled (Terraform's stop): abandoning it would leave
		// an object the caller never learns of. It runs on a context detached
		// from the caller's, bounded by the per-attempt timeout; but once the
		// caller's context is done nothing new is sent: no first attempt, and
		// the wait before a retry (of an attempt that certainly did not reach
		// the server) ends at once.
		if err := ctx.Err(); err != nil {
			return &RequestError{Method: method, Path: path, Err: err}
		}
		var cancel context.CancelFunc
		reqCtx, cancel = context.WithCancel(context.WithoutCancel(ctx))
		defer cancel()
		stop := context.AfterFunc(ctx, func() {
			if !st.inFlight.Load() {
				cancel()
			}
		})
		defer stop()
	}
	req, err := retryablehttp.NewRequestWithContext(withAttempt(reqCtx, st), method, full, payload)
	if err != nil {
		return fmt.Errorf("building the %s %s request: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.ua)
	req.Header.Set("Authorization", c.auth)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
		c.log.Trace(ctx, "Tiledesk API request body", map[string]any{"method": method, "path": path, "body": c.maskBody(payload)})
	}

	start := time.Now()
	resp, err := c.http.Do(req)
	elapsed := time.Since(start)
	if err != nil {
		rerr := c.requestError(reqCtx, method, path, st, err)
		c.log.Debug(ctx, "Tiledesk API request failed", map[string]any{
			"method": method, "path": path, "attempts": st.number(), "duration_ms": elapsed.Milliseconds(), "error": rerr.Error(),
		})
		return rerr
	}
	defer func() { _ = resp.Body.Close() }()
	raw, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	c.log.Debug(ctx, "Tiledesk API request", map[string]any{
		"method": method, "path": path, "status": resp.StatusCode, "attempts": st.number(), "duration_ms": elapsed.Milliseconds(),
	})
	c.log.Trace(ctx, "Tiledesk API response body", map[string]any{"method": method, "path": path, "body": c.maskBody(raw)})
	if readErr != nil {
		return c.requestError(reqCtx, method, path, st, readErr)
	}

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newAPIError(method, path, resp, raw, st.number(), masker{c})
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(bytes.NewReader(raw)).Decode(out); err != nil {
		return &APIError{
			StatusCode: resp.StatusCode, Method: method, Path: path, Attempts: st.number(),
			Message: "the answer is not the JSON the Tiledesk API sends (" + describeBody(resp.Header.Get("Content-Type"), []byte(c.maskBody(raw))) +
				"): check that the API URL points at a Tiledesk server",
		}
	}
	if h, ok := out.(interface{ fromHeader(http.Header) }); ok {
		h.fromHeader(resp.Header)
	}
	return nil
}

// secretField matches a JSON string field that holds a secret, such as a
// webhook subscription's "secret".
var secretField = regexp.MustCompile(`"(secret|password|token)"(\s*):(\s*)"(?:[^"\\]|\\.)*"`)

// maskBody is a body as it may be logged: the configured credentials and
// every secret field masked.
func (c *Client) maskBody(b []byte) string {
	return c.redact.Replace(secretField.ReplaceAllString(string(b), `"$1"$2:$3"***"`))
}

// masker masks what maskBody masks, for error messages: a body quoted in an
// error never shows a credential or a secret field.
type masker struct{ c *Client }

func (m masker) Replace(s string) string { return m.c.maskBody([]byte(s)) }

// MaxRetries is how many times a failed request may be sent again.
func (c *Client) MaxRetries() int { return c.http.RetryMax }

// ResendWait is how long to wait before sending a create again for the n-th
// time (n >= 1) after err, when a lookup proved that the failed attempt
// created nothing: what the server's Retry-After says, else the client's
// backoff.
func (c *Client) ResendWait(n int, err error) time.Duration {
	var ae *APIError
	if errors.As(err, &ae) && ae.RetryAfter > 0 {
		return min(ae.RetryAfter, c.http.RetryWaitMax)
	}
	return backoff(c.http.RetryWaitMin, c.http.RetryWaitMax, n-1, nil)
}
