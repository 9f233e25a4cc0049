package tiledesk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// MayHaveCreated is the one classification of a failed create: every outcome
// that does not prove the segment was not saved.
func TestMayHaveCreated(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"answer lost after the write", &RequestError{Method: "POST", MaybeProcessed: true, Err: io.EOF}, true},
		{"timeout after the write", &RequestError{Method: "POST", MaybeProcessed: true, Timeout: time.Second, Err: io.EOF}, true},
		{"wrapped", fmt.Errorf("creating: %w", &RequestError{Method: "POST", MaybeProcessed: true, Err: io.EOF}), true},
		{"connection refused", &RequestError{Method: "POST", Err: dial}, false},
		{"cancelled before sending", &RequestError{Method: "POST", Err: context.Canceled}, false},
		{"500", &APIError{Method: "POST", StatusCode: 500}, true},
		{"501", &APIError{Method: "POST", StatusCode: 501}, true},
		{"502", &APIError{Method: "POST", StatusCode: 502}, true},
		{"503", &APIError{Method: "POST", StatusCode: 503}, true},
		{"504", &APIError{Method: "POST", StatusCode: 504}, true},
		{"429", &APIError{Method: "POST", StatusCode: 429}, false},
		{"400", &APIError{Method: "POST", StatusCode: 400}, false},
		{"403", &APIError{Method: "POST", StatusCode: 403}, false},
		{"GET 503", &APIError{Method: "GET", StatusCode: 503}, false},
		{"other error", errors.New("boom"), false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		if got := MayHaveCreated(tt.err); got != tt.want {
			t.Errorf("%s: MayHaveCreated = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// A create already sent when the caller is cancelled (Terraform's stop) runs
// to its end: the server is not abandoned and the answer is returned.
func TestCreateFinishesAfterCancel(t *testing.T) {
	received := make(chan struct{})
	release := make(chan struct{})
	serverCtxErr := make(chan error, 1)
	c := newHandlerClient(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		close(received)
		<-release
		serverCtxErr <- r.Context().Err()
		writeJSONBody(w, 200, segmentJSON)
	}, nil)
	ctx, cancel := context.WithCancel(t.Context())
	type result struct {
		s   *Segment
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := Segments.Create(ctx, c, tiledesktest.ProjectID, SegmentInput{Name: "x", Match: MatchAll})
		done <- result{s, err}
	}()
	<-received
	cancel()
	time.Sleep(100 * time.Millisecond) // the cancellation has propagated
	close(release)
	res := <-done
	if res.err != nil || res.s == nil || res.s.ID == "" {
		t.Fatalf("CreateSegment = %v, %v; want the created segment", res.s, res.err)
	}
	if err := <-serverCtxErr; err != nil {
		t.Errorf("the server saw the client go away (%v): the create was abandoned", err)
	}
}

// A sent create whose server never answers is still bounded by the client's
// timeout after a cancel, and may have created the segment: the cancel did
// not abort it, the request timeout ended it.
func TestCreateAfterCancelBoundedByTimeout(t *testing.T) {
	received := make(chan struct{}, 1)
	c := newHandlerClient(t, func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		received <- struct{}{}
		<-r.Context().Done()
	}, func(c *Config) { c.Timeout = 300 * time.Millisecond })
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := Segments.Create(ctx, c, tiledesktest.ProjectID, SegmentInput{Name: "x", Match: MatchAll})
		done <- err
	}()
	<-received
	cancel()
	var err error
	select {
	case err = <-done:
	case <-time.After(time.Minute): // a hang guard, not a measurement
		t.Fatal("the create never ended after a cancel: its timeout did not bound it")
	}
	// An aborted create would end with the cancellation; this one must end
	// with the client's own timeout.
	if Classify(err) != KindTimeout || TimeoutOf(err) != 300*time.Millisecond || errors.Is(err, context.Canceled) {
		t.Errorf("the create ended with %v, want the request timeout of 300ms: the cancel aborted it", err)
	}
	if !MayHaveCreated(err) {
		t.Errorf("MayHaveCreated false for %v", err)
	}
	if len(received) != 0 {
		t.Error("the create was sent again after the cancel")
	}
}

// Nothing is sent once the caller is cancelled: no first create, and no
// retry of one refused with 429 (the wait ends at once).
func TestCreateNotSentAfterCancel(t *testing.T) {
	t.Run("before the first attempt", func(t *testing.T) {
		var n counter
		c := newHandlerClient(t, func(w http.ResponseWriter, _ *http.Request) {
			n.inc()
			writeJSONBody(w, 200, segmentJSON)
		}, nil)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := Segments.Create(ctx, c, tiledesktest.ProjectID, SegmentInput{Name: "x", Match: MatchAll})
		if !errors.Is(err, context.Canceled) || MayHaveCreated(err) {
			t.Errorf("error %v: want a cancellation that created nothing", err)
		}
		if n.get() != 0 {
			t.Errorf("%d requests sent after the cancel", n.get())
		}
	})
	t.Run("during the wait before a retry", func(t *testing.T) {
		var n counter
		answered := make(chan struct{}, 1)
		c := newHandlerClient(t, func(w http.ResponseWriter, _ *http.Request) {
			n.inc()
			w.Header().Set("Retry-After", "30")
			writeJSONBody(w, 429, `{"success":false,"msg":"slow down"}`)
			answered <- struct{}{}
		}, func(c *Config) { c.RetryWaitMax = time.Minute })
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() {
			_, err := Segments.Create(ctx, c, tiledesktest.ProjectID, SegmentInput{Name: "x", Match: MatchAll})
			done <- err
		}()
		<-answered
		time.Sleep(100 * time.Millisecond) // the client is waiting for Retry-After
		cancel()
		select {
		case err := <-done:
			if MayHaveCreated(err) {
				t.Errorf("MayHaveCreated true after a 429: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the wait before a retry outlived the cancel")
		}
		if n.get() != 1 {
			t.Errorf("%d requests, want 1", n.get())
		}
	})
}

// Reads stop at once when the caller is cancelled: they are safe to repeat.
func TestReadStopsAtCancel(t *testing.T) {
	received := make(chan struct{}, 1)
	c := newHandlerClient(t, func(_ http.ResponseWriter, r *http.Request) {
		received <- struct{}{}
		<-r.Context().Done()
	}, func(c *Config) { c.Timeout = time.Minute })
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := Segments.Get(ctx, c, tiledesktest.ProjectID, "6750c0ffee0000000000abcd")
		done <- err
	}()
	<-received
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want a cancellation", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the read outlived the cancel")
	}
}
