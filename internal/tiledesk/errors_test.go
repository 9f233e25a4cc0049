package tiledesk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

const (
	nginx502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
	untitled = "<!DOCTYPE html><html><body><h1>Service\n   Unavailable</h1><p>Try &amp; retry &lt;later&gt;</p></body></html>"
)

func TestErrorMessage(t *testing.T) {
	long := strings.Repeat("x", 1000)
	tests := []struct {
		name, contentType, body, want string
	}{
		{"routes", "application/json", `{"success":false,"msg":"Object not found."}`, "Object not found."},
		{"project check", "application/json", `{"error":"Invalid project id: X"}`, "Invalid project id: X"},
		{"err key", "application/json", `{"err":"something broke"}`, "something broke"},
		{"message key", "application/json", `{"message":"rate limited"}`, "rate limited"},
		{"msg wins over error", "application/json", `{"error":"second","msg":"first"}`, "first"},
		{"nested error object", "application/json", `{"error":{"message":"nested reason","code":7}}`, "nested reason"},
		{"empty msg falls back", "application/json", `{"success":false,"msg":"","error":"the error"}`, "the error"},
		{"json without message", "application/json", `{"success":false}`, `{"success":false}`},
		{"json without content type", "", `{"msg":"typed as nothing"}`, "typed as nothing"},
		{"plain text", "text/plain; charset=utf-8", "Unauthorized", "Unauthorized"},
		{"plain text trimmed", "text/plain", "  Too many requests, slow down \n", "Too many requests, slow down"},
		{"html title", "text/html", nginx502, "502 Bad Gateway"},
		{"html title without content type", "", nginx502, "502 Bad Gateway"},
		{"html title with entities", "text/html", "<html><head><title>Tom &amp; Jerry&#39;s</title></head></html>", "Tom & Jerry's"},
		{"html without title", "text/html; charset=utf-8", untitled, "Service Unavailable Try & retry <later>"},
		{"html empty title", "text/html", "<html><title> </title><p>the text</p></html>", "the text"},
		{"invalid json", "application/json", `{"msg": "cut`, `{"msg": "cut`},
		{"empty", "application/json", "", ""},
		{"blank", "text/plain", " \r\n\t ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorMessage(tt.contentType, []byte(tt.body)); got != tt.want {
				t.Errorf("ErrorMessage(%q, %q) = %q, want %q", tt.contentType, tt.body, got, tt.want)
			}
		})
	}

	t.Run("long body truncated", func(t *testing.T) {
		for _, body := range []string{long, `{"msg":"` + long + `"}`, "<html><body><p>" + long + "</p></body></html>"} {
			got := ErrorMessage("", []byte(body))
			if !strings.HasSuffix(got, "…") || len(strings.TrimSuffix(got, "…")) != maxMessage {
				t.Errorf("ErrorMessage of %d bytes = %d bytes %q…, want %d bytes and an ellipsis", len(body), len(got), got[:20], maxMessage)
			}
		}
	})
	t.Run("truncation keeps UTF-8 whole", func(t *testing.T) {
		body := "a" + strings.Repeat("é", 400) // byte 300 is inside an é
		got := ErrorMessage("text/plain", []byte(body))
		if !utf8.ValidString(got) {
			t.Errorf("truncated message is not valid UTF-8: %q", got)
		}
		if n := len(strings.TrimSuffix(got, "…")); n > maxMessage || n < maxMessage-3 {
			t.Errorf("kept %d bytes, want about %d", n, maxMessage)
		}
	})
}

func TestAPIErrorString(t *testing.T) {
	tests := []struct {
		name string
		e    APIError
		want string
	}{
		{"with message", APIError{StatusCode: 404, Method: "GET", Path: "/p/segments/x", Message: "Object not found.", Attempts: 1},
			"GET /p/segments/x: HTTP 404 Not Found: Object not found."},
		{"message is status text", APIError{StatusCode: 401, Method: "DELETE", Path: "/p/segments/x", Message: "Unauthorized", Attempts: 1},
			"DELETE /p/segments/x: HTTP 401 Unauthorized"},
		{"no message", APIError{StatusCode: 502, Method: "PUT", Path: "/p/segments/x"},
			"PUT /p/segments/x: HTTP 502 Bad Gateway"},
		{"attempts", APIError{StatusCode: 503, Method: "GET", Path: "/p/segments", Message: "down", Attempts: 5},
			"GET /p/segments: HTTP 503 Service Unavailable: down (after 5 attempts)"},
		{"unknown status", APIError{StatusCode: 599, Method: "POST", Path: "/p/segments", Message: "odd", Attempts: 1},
			"POST /p/segments: HTTP 599: odd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.e.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRequestErrorString(t *testing.T) {
	tests := []struct {
		name string
		e    RequestError
		want string
	}{
		{"timeout", RequestError{Method: "GET", Path: "/p/leads", Attempts: 1, Timeout: 200 * time.Millisecond, Err: errors.New("x")},
			"GET /p/leads: no answer within the request timeout of 200ms"},
		{"cancelled", RequestError{Method: "PUT", Path: "/p/segments/x", Attempts: 1, Err: fmt.Errorf("w: %w", context.Canceled)},
			"PUT /p/segments/x: cancelled"},
		{"deadline", RequestError{Method: "GET", Path: "/p/segments", Attempts: 2, Err: context.DeadlineExceeded},
			"GET /p/segments: the operation's deadline passed (after 2 attempts)"},
		{"other", RequestError{Method: "POST", Path: "/p/segments", Attempts: 4, Err: errors.New("connection refused")},
			"POST /p/segments: connection refused (after 4 attempts)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.e.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
	inner := errors.New("inner")
	if !errors.Is(&RequestError{Err: inner}, inner) {
		t.Error("RequestError does not unwrap")
	}
}

func TestErrorClassifiers(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("reading segment: %w", err) }
	notFound := wrap(&APIError{StatusCode: 404})
	if !IsNotFound(notFound) || StatusCode(notFound) != 404 || TimeoutOf(notFound) != 0 {
		t.Error("404 misclassified")
	}
	timeout := wrap(&RequestError{Timeout: time.Second, Err: context.DeadlineExceeded})
	if IsNotFound(timeout) || StatusCode(timeout) != 0 || TimeoutOf(timeout) != time.Second {
		t.Error("timeout misclassified")
	}
	for _, err := range []error{nil, errors.New("plain")} {
		if IsNotFound(err) || StatusCode(err) != 0 || TimeoutOf(err) != 0 {
			t.Errorf("%v misclassified", err)
		}
	}
}

// Error bodies of every shape, through the client.
func TestAPIErrorBodiesThroughClient(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		want        string
	}{
		{"routes", 404, "application/json; charset=utf-8", `{"success":false,"msg":"Object not found."}`, "Object not found."},
		{"project check", 400, "application/json; charset=utf-8", `{"error":"Invalid project id: abc"}`, "Invalid project id: abc"},
		{"err", 400, "application/json", `{"err":"bad filter"}`, "bad filter"},
		{"plain text", 401, "text/plain; charset=utf-8", "Unauthorized", "Unauthorized"},
		{"html proxy page", 404, "text/html", nginx502, "502 Bad Gateway"},
		{"html without title", 404, "text/html", untitled, "Service Unavailable Try & retry <later>"},
		{"empty body gives the status text", 409, "", "", "Conflict"},
		{"long body truncated", 400, "text/plain", strings.Repeat("y", 5000), strings.Repeat("y", maxMessage) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newHandlerClient(t, func(w http.ResponseWriter, _ *http.Request) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.WriteHeader(tt.status)
				_, _ = fmt.Fprint(w, tt.body)
			}, nil)
			_, err := Segments.Page(t.Context(), c, tiledesktest.ProjectID, ListOptions{Limit: 5, Page: 2, Sort: "name"})
			e := asAPIError(t, err)
			if e.StatusCode != tt.status || e.Message != tt.want {
				t.Errorf("got %d %q, want %d %q", e.StatusCode, e.Message, tt.status, tt.want)
			}
			msg := err.Error()
			path := "/" + tiledesktest.ProjectID + "/segments"
			if e.Method != "GET" || e.Path != path || e.Attempts != 1 {
				t.Errorf("APIError = %+v", e)
			}
			for _, part := range []string{"GET", path, fmt.Sprint(tt.status), http.StatusText(tt.status)} {
				if !strings.Contains(msg, part) {
					t.Errorf("Error() %q lacks %q", msg, part)
				}
			}
			for _, bad := range []string{"?", "limit=", "invalid character", "unmarshal"} {
				if strings.Contains(msg, bad) {
					t.Errorf("Error() %q contains %q", msg, bad)
				}
			}
		})
	}
}

// Error bodies of the fake's layers (trap 4), each as the client reports it.
func TestAPIErrorBodiesFromFake(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, func(c *Config) { c.MaxRetries = new(0) })
	ctx := t.Context()

	_, err := Segments.Get(ctx, c, tiledesktest.ProjectID, "6750c0ffee0000000000beef")
	if e := asAPIError(t, err); e.StatusCode != 404 || e.Message != "Object not found." || !IsNotFound(err) {
		t.Errorf("missing segment: %v", err)
	}
	_, err = Segments.Get(ctx, c, tiledesktest.ProjectID, "not-an-object-id")
	if e := asAPIError(t, err); e.StatusCode != 500 || e.Message != "Error getting object." {
		t.Errorf("malformed id: %v", err)
	}
	_, err = Segments.Create(ctx, c, tiledesktest.ProjectID, SegmentInput{Match: MatchAll}) // no name
	if e := asAPIError(t, err); e.StatusCode != 500 || e.Message != "Error updating object." {
		t.Errorf("create without name: %v", err)
	}
	_, err = c.ListLeadsPage(ctx, tiledesktest.ProjectID, LeadListOptions{SegmentID: "6750c0ffee0000000000beef"})
	if e := asAPIError(t, err); e.StatusCode != 404 || e.Message != "Error segment not found" {
		t.Errorf("leads of a missing segment: %v", err)
	}
	fake.InjectFault(tiledesktest.Fault{Method: "GET", Route: "segments", Status: 502, Body: nginx502})
	_, err = Segments.Page(ctx, c, tiledesktest.ProjectID, ListOptions{})
	if e := asAPIError(t, err); e.StatusCode != 502 || e.Message != "502 Bad Gateway" {
		t.Errorf("proxy page: %v", err)
	}
	fake.InjectFault(tiledesktest.Fault{Method: "GET", Route: "segments", Status: 504, Body: " "})
	_, err = Segments.Page(ctx, c, tiledesktest.ProjectID, ListOptions{})
	if e := asAPIError(t, err); e.StatusCode != 504 || !strings.Contains(err.Error(), "Gateway Timeout") {
		t.Errorf("blank body: %v", err)
	}
}

// A 2xx answer that is not JSON (a login page of a proxy, the wrong server)
// gives an APIError that says so, never a raw decoding error.
func TestSuccessWithUnexpectedBody(t *testing.T) {
	tests := []struct {
		name, contentType, body, want string
	}{
		{"html page", "text/html; charset=utf-8", "<html><head><title>Sign in - Corporate Proxy</title></head><body>…</body></html>", "Sign in - Corporate Proxy"},
		{"plain text", "text/plain", "OK", `"OK"`},
		{"empty body", "application/json", "", "an empty body"},
		{"truncated json", "application/json", `{"_id":"6750c0ffee0000000000abcd","name":`, "application/json"},
		{"json of another shape", "application/json", `["not","a","segment"]`, "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newHandlerClient(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				_, _ = fmt.Fprint(w, tt.body)
			}, nil)
			_, err := Segments.Get(t.Context(), c, tiledesktest.ProjectID, "6750c0ffee0000000000abcd")
			e := asAPIError(t, err)
			if e.StatusCode != 200 || e.Attempts != 1 {
				t.Errorf("APIError = %+v", e)
			}
			msg := err.Error()
			if !strings.Contains(msg, "not the JSON") || !strings.Contains(msg, tt.want) {
				t.Errorf("Error() = %q, want it to say the answer is not the JSON Tiledesk sends and name %q", msg, tt.want)
			}
			for _, bad := range []string{"invalid character", "unexpected end of JSON", "unexpected EOF", "cannot unmarshal", "looking for beginning"} {
				if strings.Contains(msg, bad) {
					t.Errorf("Error() %q contains the decoding error %q", msg, bad)
				}
			}
		})
	}
}

// Error bodies that echo the request's credentials (debugging proxies do)
// are redacted in every error the client returns.
func TestErrorsRedactEchoedCredentials(t *testing.T) {
	basicCred := basicCredential(tiledesktest.Password)
	auths := []struct {
		name    string
		edit    func(*Config)
		secrets []string
	}{
		{"token", func(c *Config) { c.Token = "JWT " + tiledesktest.Token }, []string{tiledesktest.Token}},
		{"basic", func(c *Config) { c.Token, c.Email, c.Password = "", tiledesktest.Email, tiledesktest.Password },
			[]string{tiledesktest.Password, basicCred}},
	}
	answers := []struct {
		name   string
		status int
		ctype  string
		format string
	}{
		{"401 text", 401, "text/plain", "Unauthorized: %s"},
		{"400 json", 400, "application/json", `{"msg":"bad header %s"}`},
		{"500 html", 500, "text/html", "<html><body><p>headers: Authorization=%s</p></body></html>"},
		{"200 text", 200, "text/plain", "debug echo: Authorization: %s"},
		{"200 html", 200, "text/html", "<html><title>echo %s</title></html>"},
	}
	for _, a := range auths {
		for _, ans := range answers {
			t.Run(a.name+" "+ans.name, func(t *testing.T) {
				c := newHandlerClient(t, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", ans.ctype)
					w.WriteHeader(ans.status)
					_, _ = fmt.Fprintf(w, ans.format, r.Header.Get("Authorization"))
				}, a.edit)
				_, err := Segments.Get(t.Context(), c, tiledesktest.ProjectID, "6750c0ffee0000000000abcd")
				if err == nil {
					t.Fatal("no error")
				}
				assertNoSecret(t, "error", err.Error(), a.secrets...)
				var e *APIError
				if errors.As(err, &e) {
					assertNoSecret(t, "APIError.Message", e.Message, a.secrets...)
				}
			})
		}
	}
}

// Classify is the one classification of the client's errors.
func TestClassify(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("context: %w", err) }
	tests := []struct {
		err  error
		want Kind
	}{
		{&RequestError{Timeout: time.Second, Err: errors.New("x")}, KindTimeout},
		{&RequestError{Err: context.Canceled}, KindCanceled},
		{&RequestError{Err: context.DeadlineExceeded}, KindCanceled},
		{&RequestError{Err: errors.New("connection refused")}, KindUnreachable},
		{&APIError{StatusCode: 401}, KindUnauthorized},
		{&APIError{StatusCode: 403}, KindForbidden},
		{&APIError{StatusCode: 400}, KindBadRequest},
		{&APIError{StatusCode: 429}, KindRateLimited},
		{&APIError{StatusCode: 500}, KindServerError},
		{&APIError{StatusCode: 504}, KindServerError},
		{&APIError{StatusCode: 404}, KindNotFound},
		{&APIError{StatusCode: 409}, KindOther},
		{&KeyTakenError{Object: "tag"}, KindKeyTaken},
		{&KeyTakenError{Object: "tag", Err: &APIError{StatusCode: 500}}, KindKeyTaken},
		{&APIError{StatusCode: 200}, KindOther},
		{errors.New("plain"), KindOther},
		{context.Canceled, KindOther},
	}
	for _, tt := range tests {
		if got := Classify(wrap(tt.err)); got != tt.want {
			t.Errorf("Classify(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
	if d := TimeoutOf(wrap(&RequestError{Timeout: time.Second, Err: errors.New("x")})); d != time.Second {
		t.Errorf("TimeoutOf = %v", d)
	}
}
