package tiledesk

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// agentClient is a client of the local API's agent (tiledesktest.AgentUser).
func agentClient(t *testing.T, base string) *Client {
	t.Helper()
	cfg := testConfig(base)
	cfg.Token = tiledesktest.AgentToken
	return mustClient(t, cfg)
}

// Who creates decides shared: an owner's canned response is shared whatever
// is sent, an agent's only when it asks.
func TestCannedResponses_createShared(t *testing.T) {
	_, base := tiledesktest.NewTest(t, tiledesktest.Options{})
	owner, agent := mustClient(t, testConfig(base)), agentClient(t, base)
	p := tiledesktest.ProjectID
	for _, tt := range []struct {
		who    string
		c      *Client
		in     CannedResponseInput
		shared bool
	}{
		{"owner", owner, CannedResponseInput{Title: "Hi", Text: "Hello"}, true},
		{"agent", agent, CannedResponseInput{Text: "Mine"}, false},
		{"agent asking", agent, CannedResponseInput{Text: "Ours", Shared: true}, true},
	} {
		got, err := CannedResponses.Create(t.Context(), tt.c, p, tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.who, err)
		}
		if got.Shared != tt.shared || got.Title != tt.in.Title || got.Text != tt.in.Text || got.Status != CannedLive || got.ProjectID != p {
			t.Errorf("%s created %+v, want shared %v", tt.who, got, tt.shared)
		}
		if !CannedResponses.Same(got, tt.in) {
			t.Errorf("%s: Same(%+v, %+v) is false", tt.who, got, tt.in)
		}
	}
	if CannedResponses.Same(&CannedResponse{Text: "Mine"}, CannedResponseInput{Text: "Mine", Shared: true}) {
		t.Error("a private canned response is the same as one asked shared")
	}
}

// GET by id answers only the creator: Live reads from the list, so another
// member reads a shared canned response without a GET, and the owner gets a
// 403 (forbidden, not gone) for an agent's private one.
func TestCannedResponses_readFromTheList(t *testing.T) {
	fake, base := tiledesktest.NewTest(t, tiledesktest.Options{})
	owner, agent := mustClient(t, testConfig(base)), agentClient(t, base)
	p := tiledesktest.ProjectID
	shared, err := CannedResponses.Create(t.Context(), agent, p, CannedResponseInput{Text: "shared", Shared: true})
	if err != nil {
		t.Fatal(err)
	}
	private, err := CannedResponses.Create(t.Context(), agent, p, CannedResponseInput{Text: "private"})
	if err != nil {
		t.Fatal(err)
	}

	if _, err := CannedResponses.Get(t.Context(), owner, p, shared.ID); Classify(err) != KindForbidden || !strings.Contains(err.Error(), "not yours") {
		t.Fatalf("the owner's GET of the agent's canned response: %v, want 403 not yours", err)
	}
	fake.ResetCounts()
	got, err := CannedResponses.Live(t.Context(), owner, p, shared.ID)
	if err != nil || got.Text != "shared" {
		t.Fatalf("Live: %+v, %v", got, err)
	}
	if n := fake.Count("GET", "canned_response"); n != 0 {
		t.Errorf("%d GETs by id: the read must come from the list", n)
	}
	_, err = CannedResponses.Live(t.Context(), owner, p, private.ID)
	if Classify(err) != KindForbidden || isGone(err, GoneNotFound) {
		t.Errorf("Live of an agent's private canned response for the owner: %v, want a 403", err)
	}

	// After its own write, the client reads the canned response back from a
	// new walk: a GET would be refused to the owner.
	owner = mustClient(t, testConfig(base))
	if _, err := CannedResponses.Update(t.Context(), owner, p, shared.ID, CannedResponseInput{Text: "edited by the owner"}); err != nil {
		t.Fatal(err)
	}
	if got, err := CannedResponses.Live(t.Context(), owner, p, shared.ID); err != nil || got.Text != "edited by the owner" {
		t.Errorf("Live after the update: %+v, %v", got, err)
	}
}

// Rights: an agent cannot change the owner's canned response, the owner
// cannot change an agent's private one; the server's `error` bodies reach
// the message. Nothing is sent to another project's canned response.
func TestCannedResponses_rights(t *testing.T) {
	fake, base := tiledesktest.NewTest(t, tiledesktest.Options{})
	owner, agent := mustClient(t, testConfig(base)), agentClient(t, base)
	p := tiledesktest.ProjectID
	mine, err := CannedResponses.Create(t.Context(), owner, p, CannedResponseInput{Text: "owner's"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = CannedResponses.Update(t.Context(), agent, p, mine.ID, CannedResponseInput{Text: "x"})
	if Classify(err) != KindForbidden || !strings.Contains(err.Error(), "You are not allowed to modify a canned response that is not yours.") {
		t.Errorf("the agent's update of the owner's: %v", err)
	}
	err = CannedResponses.Delete(t.Context(), agent, p, mine.ID)
	if Classify(err) != KindForbidden || !strings.Contains(err.Error(), "to delete a canned response that is not yours") {
		t.Errorf("the agent's delete of the owner's: %v", err)
	}

	foreign := fake.SeedDoc("canned", tiledesktest.OtherProjectID, map[string]any{"text": "elsewhere", "shared": true})
	fake.ResetCounts()
	if _, err := CannedResponses.Update(t.Context(), owner, p, fmt.Sprint(foreign["_id"]), CannedResponseInput{Text: "x"}); !isGone(err, GoneForeign) {
		t.Errorf("update of another project's: %v, want gone (foreign)", err)
	}
	if w := fake.Writes(); w != 0 {
		t.Errorf("%d writes sent to another project's canned response", w)
	}
}

// The delete is soft: the canned response is gone (status 1000) and the
// list walk skips it; a canned response of 1001 in a project takes two pages
// of the bare list.
func TestCannedResponses_softDeleteAndPages(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	p := tiledesktest.ProjectID
	for i := range 1001 {
		fake.SeedDoc("canned", p, map[string]any{"text": fmt.Sprint("text ", i), "shared": true})
	}
	all, err := CannedResponses.LiveAll(t.Context(), c, p)
	if err != nil || len(all) != 1001 {
		t.Fatalf("LiveAll: %d, %v", len(all), err)
	}
	if n := fake.Count("GET", "canned"); n != 2 {
		t.Errorf("%d list requests, want 2 pages of 1000", n)
	}
	id := all[0].ID
	if err := CannedResponses.Delete(t.Context(), c, p, id); err != nil {
		t.Fatal(err)
	}
	if d, _ := fake.Doc("canned", id); d["status"] != float64(CannedDeleted) && d["status"] != CannedDeleted {
		t.Errorf("after the delete the server holds %v", d)
	}
	if _, err := CannedResponses.Live(t.Context(), mustClient(t, testConfig(strings.TrimSuffix(c.base.String(), "/"))), p, id); !isGone(err, GoneDeleted) {
		t.Errorf("Live of the deleted one: %v, want gone (deleted)", err)
	}
}
