package tiledesk

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

type logEntry struct {
	level, msg string
	fields     map[string]any
}

// recLogger records every line.
type recLogger struct {
	mu      sync.Mutex
	entries []logEntry
}

func (l *recLogger) add(level, msg string, fields map[string]any) {
	copied := make(map[string]any, len(fields))
	for k, v := range fields {
		copied[k] = v
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, logEntry{level, msg, copied})
}

func (l *recLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.add("debug", msg, fields)
}

func (l *recLogger) Trace(_ context.Context, msg string, fields map[string]any) {
	l.add("trace", msg, fields)
}

func (l *recLogger) all() []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]logEntry(nil), l.entries...)
}

// text renders every recorded line, fields included.
func (l *recLogger) text() string {
	var b strings.Builder
	for _, e := range l.all() {
		fmt.Fprintf(&b, "%s %s %v\n", e.level, e.msg, e.fields)
	}
	return b.String()
}

// find returns the entries of a level whose fields include want.
func (l *recLogger) find(level string, want map[string]any) []logEntry {
	var out []logEntry
	for _, e := range l.all() {
		if e.level != level {
			continue
		}
		ok := true
		for k, v := range want {
			if fmt.Sprint(e.fields[k]) != fmt.Sprint(v) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, e)
		}
	}
	return out
}

func TestLoggingWithoutSecrets(t *testing.T) {
	auths := []struct {
		name    string
		edit    func(*Config)
		header  string
		secrets []string
	}{
		{"token", func(c *Config) { c.Token = "JWT " + tiledesktest.Token }, "JWT " + tiledesktest.Token,
			[]string{tiledesktest.Token}},
		{"basic", func(c *Config) { c.Token, c.Email, c.Password = "", tiledesktest.Email, tiledesktest.Password },
			"Basic " + basicCredential(tiledesktest.Password),
			[]string{tiledesktest.Password, basicCredential(tiledesktest.Password)}},
	}
	for _, a := range auths {
		t.Run(a.name, func(t *testing.T) {
			log := &recLogger{}
			fake, c := newFake(t, tiledesktest.Options{}, func(c *Config) {
				a.edit(c)
				c.Logger = log
			})
			ctx := t.Context()
			project := "/" + tiledesktest.ProjectID

			// A create.
			created, err := Segments.Create(ctx, c, tiledesktest.ProjectID, SegmentInput{
				Name: "logged", Match: MatchAll, Filters: []Filter{rawFilter("email", "contains", `"@example.it"`)},
			})
			if err != nil {
				t.Fatal(err)
			}
			// A failing call.
			var errs []error
			_, err = Segments.Get(ctx, c, tiledesktest.ProjectID, "6750c0ffee0000000000beef")
			errs = append(errs, err)
			// A 401 whose body echoes the credentials.
			fake.InjectFault(tiledesktest.Fault{Method: "GET", Route: "segment", Status: 401, ContentType: "text/plain",
				Body: "Unauthorized (got Authorization: " + a.header + ")"})
			_, err = Segments.Get(ctx, c, tiledesktest.ProjectID, created.ID)
			errs = append(errs, err)
			if Classify(err) != KindUnauthorized {
				t.Errorf("injected 401: %v", err)
			}
			// A retry.
			fake.InjectFault(tiledesktest.Fault{Method: "GET", Route: "segments", Status: 503})
			if _, err := Segments.List(ctx, c, tiledesktest.ProjectID); err != nil {
				t.Fatal(err)
			}
			// No answer at all.
			refusedCfg := Config{BaseURL: closedURL(t), MaxRetries: new(0), Logger: log}
			a.edit(&refusedCfg)
			refused := mustClient(t, refusedCfg)
			_, err = deleteSegment(ctx, refused, created.ID)
			errs = append(errs, err)

			text := log.text()
			assertNoSecret(t, "log", text, a.secrets...)
			for _, err := range errs {
				if err == nil {
					t.Fatal("a failing call did not fail")
				}
				assertNoSecret(t, "error", err.Error(), a.secrets...)
			}

			// Debug lines carry method, path, status and attempts.
			if len(log.find("debug", map[string]any{"method": "POST", "path": project + "/segments", "status": 200, "attempts": 1})) != 1 {
				t.Errorf("no debug line for the create:\n%s", text)
			}
			if len(log.find("debug", map[string]any{"method": "GET", "path": project + "/segments/6750c0ffee0000000000beef", "status": 404, "attempts": 1})) != 1 {
				t.Errorf("no debug line for the 404:\n%s", text)
			}
			if len(log.find("debug", map[string]any{"method": "GET", "status": 401})) != 1 {
				t.Errorf("no debug line for the 401:\n%s", text)
			}
			if len(log.find("debug", map[string]any{"method": "GET", "path": project + "/segments", "status": 200, "attempts": 2})) != 1 {
				t.Errorf("no debug line for the retried list:\n%s", text)
			}
			if len(log.find("debug", map[string]any{"method": "GET", "retry": 1})) != 1 {
				t.Errorf("no debug line for the retry itself:\n%s", text)
			}
			failed := log.find("debug", map[string]any{"method": "DELETE", "attempts": 1})
			if len(failed) != 1 || !strings.Contains(fmt.Sprint(failed[0].fields["error"]), "refused") {
				t.Errorf("no debug line for the refused connection: %v\n%s", failed, text)
			}
			for _, e := range log.find("debug", nil) {
				if _, ok := e.fields["body"]; ok {
					t.Errorf("a debug line carries a body: %v", e)
				}
			}

			// Trace lines carry the bodies.
			sent := log.find("trace", map[string]any{"method": "POST", "path": project + "/segments"})
			var sawRequest, sawAnswer bool
			for _, e := range sent {
				body := fmt.Sprint(e.fields["body"])
				sawRequest = sawRequest || strings.Contains(body, `"name":"logged"`) && strings.Contains(body, "@example.it")
				sawAnswer = sawAnswer || strings.Contains(body, created.ID)
			}
			if !sawRequest || !sawAnswer {
				t.Errorf("trace lines lack the request or answer body (%v, %v):\n%s", sawRequest, sawAnswer, text)
			}
			if len(log.find("trace", map[string]any{"method": "GET", "path": project + "/segments/6750c0ffee0000000000beef", "body": `{"success":false,"msg":"Object not found."}`})) != 1 {
				t.Errorf("no trace of the 404 body:\n%s", text)
			}
			if !strings.Contains(text, "***") {
				t.Errorf("the echoed credentials were not masked:\n%s", text)
			}
		})
	}
}

// Errors of every kind never contain the credentials.
func TestErrorsWithoutSecrets(t *testing.T) {
	const token, password = "eyJhbGciOiJIUzI1NiJ9.wrong-token-secret", "wrong-Passw0rd-secret"
	basic := basicCredential(password)
	secrets := []string{token, password, basic}
	configs := map[string]func(*Config){
		"token": func(c *Config) { c.Token = "JWT " + token },
		"basic": func(c *Config) { c.Token, c.Email, c.Password = "", tiledesktest.Email, password },
	}
	for name, edit := range configs {
		t.Run(name+" 401", func(t *testing.T) {
			_, c := newFake(t, tiledesktest.Options{}, edit)
			_, err := Segments.Create(t.Context(), c, tiledesktest.ProjectID, SegmentInput{Name: "x", Match: MatchAll})
			if Classify(err) != KindUnauthorized {
				t.Fatalf("wrong credentials: %v", err)
			}
			if e := asAPIError(t, err); e.Message != "Unauthorized" {
				t.Errorf("Message = %q", e.Message)
			}
			assertNoSecret(t, "error", err.Error(), secrets...)
		})
		t.Run(name+" refused", func(t *testing.T) {
			cfg := Config{BaseURL: closedURL(t), MaxRetries: new(1), RetryWaitMin: testWaitMin, RetryWaitMax: testWaitMax}
			edit(&cfg)
			_, err := Segments.Get(t.Context(), mustClient(t, cfg), tiledesktest.ProjectID, "6750c0ffee0000000000abcd")
			if e := asRequestError(t, err); e.Timeout != 0 {
				t.Errorf("a refused connection reads as a timeout: %v", e)
			}
			assertNoSecret(t, "error", err.Error(), secrets...)
		})
		t.Run(name+" timeout", func(t *testing.T) {
			c := newHandlerClient(t, func(_ http.ResponseWriter, r *http.Request) {
				<-r.Context().Done() // never answers
			}, func(c *Config) {
				edit(c)
				c.Timeout = 100 * time.Millisecond
			})
			_, err := Segments.Page(t.Context(), c, tiledesktest.ProjectID, ListOptions{})
			if Classify(err) != KindTimeout {
				t.Fatalf("hang: %v", err)
			}
			assertNoSecret(t, "error", err.Error(), secrets...)
		})
	}
}
