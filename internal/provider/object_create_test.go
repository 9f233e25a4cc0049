package provider

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

func recoveryClient(t *testing.T, base string) *tiledesk.Client {
	t.Helper()
	c, err := tiledesk.NewClient(tiledesk.Config{BaseURL: base, Token: tiledesktest.Token, Timeout: 5 * time.Second,
		MaxRetries: new(2), RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var recoveryInput = tiledesk.SegmentInput{Name: "premium", Match: tiledesk.MatchAll, Filters: []tiledesk.Filter{}}

// createSegment creates recoveryInput in the default project through the
// guard's one create path.
func createSegment(ctx context.Context, g *createGuard, c *tiledesk.Client, diags *diag.Diagnostics) *tiledesk.Segment {
	return createObject(ctx, g, c, objectCreate[tiledesk.Segment, tiledesk.SegmentInput]{
		k: tiledesk.Segments, project: tiledesktest.ProjectID, in: recoveryInput, what: `segment "premium"`, dataSource: "tiledesk_segments",
	}, diags)
}

func guardFor(user string, since time.Time) *createGuard {
	return &createGuard{user: user, since: since, walked: map[walkedKey]any{}, claimed: map[string]bool{}}
}

// A 503 that the lookup proves created nothing is sent again: once created.
func TestCreateSegment_resendWhenLookupProvesNone(t *testing.T) {
	fake, base := tiledesktest.NewTest(t, tiledesktest.Options{})
	fake.InjectFault(tiledesktest.Fault{Method: "POST", Route: "segments", Status: http.StatusServiceUnavailable})
	var diags diag.Diagnostics
	seg := createSegment(t.Context(), guardFor("", time.Now()), recoveryClient(t, base), &diags)
	if seg == nil || diags.HasError() || diags.WarningsCount() != 0 {
		t.Fatalf("createSegment = %v, %v", seg, diags)
	}
	if n := fake.Count("POST", "segments"); n != 2 {
		t.Errorf("%d POSTs, want 2: one refused, one sent again after the lookup", n)
	}
	if n := len(fake.Segments(tiledesktest.ProjectID, true)); n != 1 {
		t.Errorf("%d segments, want 1", n)
	}
}

// A stop during a create answered 503 (nothing saved): the lookup runs,
// proves nothing was created, and nothing is sent again.
func TestCreateSegment_noResendAfterStop(t *testing.T) {
	fake, _ := tiledesktest.NewTest(t, tiledesktest.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	wrap := http.NewServeMux()
	wrap.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			cancel() // Terraform's stop arrives while the create is in flight
			time.Sleep(50 * time.Millisecond)
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fake.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(wrap)
	t.Cleanup(srv.Close)
	var diags diag.Diagnostics
	seg := createSegment(ctx, guardFor("", time.Now()), recoveryClient(t, srv.URL), &diags)
	if seg != nil || !diags.HasError() {
		t.Fatalf("createSegment = %v, %v; want an error", seg, diags)
	}
	if d := diags.Errors()[0].Detail(); !strings.Contains(d, "nothing was created") || !strings.Contains(d, "stopped before the create could be sent again") {
		t.Errorf("error detail: %s", d)
	}
	if n := fake.Count("GET", "segments"); n == 0 {
		t.Error("no lookup after the 503")
	}
}

// Rule 3: a live segment with the same definition, created by the same user
// in the window before the command started, stops the create; others do not.
func TestCreateSegment_unrecordedCreate(t *testing.T) {
	since := time.Now()
	jwt := "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(`{"_id":"`+tiledesktest.UserID+`"}`)) + ".c2ln"
	tests := []struct {
		name      string
		user      string
		seed      tiledesktest.Segment
		wantError bool
	}{
		{"same user, 2 minutes before", tiledesk.TokenUserID(jwt), tiledesktest.Segment{Name: "premium", CreatedAt: since.Add(-2 * time.Minute)}, true},
		{"any user (Basic auth)", "", tiledesktest.Segment{Name: "premium", CreatedBy: "6750c0ffee0000000000beef", CreatedAt: since.Add(-time.Minute)}, true},
		{"another user", tiledesktest.UserID, tiledesktest.Segment{Name: "premium", CreatedBy: "6750c0ffee0000000000beef", CreatedAt: since.Add(-time.Minute)}, false},
		{"older than the window", "", tiledesktest.Segment{Name: "premium", CreatedAt: since.Add(-unrecordedWindow - time.Minute)}, false},
		{"after the command started", "", tiledesktest.Segment{Name: "premium", CreatedAt: since.Add(time.Second)}, false},
		{"another definition", "", tiledesktest.Segment{Name: "premium", Match: "any", CreatedAt: since.Add(-time.Minute)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, base := tiledesktest.NewTest(t, tiledesktest.Options{})
			old := fake.Seed(tiledesktest.ProjectID, tt.seed)
			g := guardFor(tt.user, since)
			var diags diag.Diagnostics
			seg := createSegment(t.Context(), g, recoveryClient(t, base), &diags)
			if got := diags.HasError(); got != tt.wantError {
				t.Fatalf("error = %v, want %v: %v", got, tt.wantError, diags)
			}
			if tt.wantError {
				d := diags.Errors()[0].Detail()
				if !strings.Contains(d, "terraform import <address of this resource, shown above> "+tiledesktest.ProjectID+"/"+old.ID) {
					t.Errorf("the error does not give the import command:\n%s", d)
				}
				if n := fake.Count("POST", "segments"); n != 0 {
					t.Errorf("%d POSTs sent", n)
				}
				return
			}
			if seg == nil || seg.ID == old.ID {
				t.Errorf("createSegment = %v, want a new segment", seg)
			}
			// The second create of the same process does not walk again.
			var more diag.Diagnostics
			createSegment(t.Context(), g, recoveryClient(t, base), &more)
			if n := fake.Count("GET", "segments"); n != 1 {
				t.Errorf("%d list requests for two creates, want 1", n)
			}
		})
	}
}
