package tiledesktest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// jwtAuth is the default user's Authorization header.
const jwtAuth = "JWT " + Token

var (
	objectIDPattern = regexp.MustCompile(`^[0-9a-f]{24}$`)
	isoPattern      = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
)

// client sends plain net/http requests to a fake.
type client struct {
	t    *testing.T
	base string
	auth string
}

// answer is a fully read response.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func newClient(t *testing.T, opts Options) (*Server, *client) {
	t.Helper()
	s, base := NewTest(t, opts)
	return s, &client{t: t, base: base, auth: jwtAuth}
}

// send performs a request; body may be nil, a string (raw JSON) or a value
// to encode. It fails the test on a transport error.
func (c *client) send(method, path string, body any) answer {
	c.t.Helper()
	a, err := c.try(c.t.Context(), method, path, body)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	return a
}

func (c *client) try(ctx context.Context, method, path string, body any) (answer, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.auth != "" {
		req.Header.Set("Authorization", c.auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: data}, err
}

// getWithin sends a GET that must end within d (for routes that never answer).
func (c *client) getWithin(d time.Duration, path string) error {
	ctx, cancel := context.WithTimeout(c.t.Context(), d)
	defer cancel()
	_, err := c.try(ctx, http.MethodGet, path, nil)
	return err
}

func segmentsPath(project string) string { return "/" + project + "/segments" }

func segmentPath(project, id string) string { return segmentsPath(project) + "/" + id }

// want checks the status and decodes the JSON body into out (when not nil).
func (a answer) want(t *testing.T, status int, out any) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status = %d, want %d; body %s", a.status, status, a.body)
	}
	if out == nil {
		return
	}
	if ct := a.header.Get("Content-Type"); ct != contentJSON {
		t.Fatalf("Content-Type = %q, want %q", ct, contentJSON)
	}
	if err := json.Unmarshal(a.body, out); err != nil {
		t.Fatalf("decode %s: %v", a.body, err)
	}
}

// wantMsg checks a {"success":false,"msg":...} answer.
func (a answer) wantMsg(t *testing.T, status int, msg string) {
	t.Helper()
	var got map[string]any
	a.want(t, status, &got)
	if got["success"] != false || got["msg"] != msg || len(got) != 2 {
		t.Fatalf("body = %s, want success false and msg %q", a.body, msg)
	}
}

// wantText checks a plain or HTML text answer.
func (a answer) wantText(t *testing.T, status int, contentType, text string) {
	t.Helper()
	if a.status != status || a.header.Get("Content-Type") != contentType || !strings.Contains(string(a.body), text) {
		t.Fatalf("got %d %q %q, want %d %q containing %q",
			a.status, a.header.Get("Content-Type"), a.body, status, contentType, text)
	}
}

// wantJSON checks the status, a JSON content type and the exact body.
func (a answer) wantJSON(t *testing.T, status int, body string) {
	t.Helper()
	a.wantText(t, status, contentJSON, body)
	if string(a.body) != body {
		t.Fatalf("got body %s, want %s", a.body, body)
	}
}

// object decodes a JSON object answer with status 200.
func (a answer) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	a.want(t, http.StatusOK, &m)
	return m
}

// create POSTs a segment and returns its decoded answer.
func (c *client) create(project string, body any) Segment {
	c.t.Helper()
	var seg Segment
	c.send(http.MethodPost, segmentsPath(project), body).want(c.t, http.StatusOK, &seg)
	return seg
}

// list GETs a page of segments.
func (c *client) list(project, query string) (perPage, count int, segs []Segment) {
	c.t.Helper()
	var page struct {
		PerPage  int       `json:"perPage"`
		Count    int       `json:"count"`
		Segments []Segment `json:"segments"`
	}
	c.send(http.MethodGet, segmentsPath(project)+query, nil).want(c.t, http.StatusOK, &page)
	return page.PerPage, page.Count, page.Segments
}

func ids(segs []Segment) []string {
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = s.ID
	}
	return out
}

// clock is a fixed clock for Options.Now.
func clock() time.Time { return time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC) }
