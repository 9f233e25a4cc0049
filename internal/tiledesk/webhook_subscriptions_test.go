package tiledesk

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// The secret comes from the create's x-hook-secret header, else from the
// body; no read shows it, and it is in no log line.
func TestWebhookSubscriptions_secret(t *testing.T) {
	log := &recLogger{}
	fake, c := newFake(t, tiledesktest.Options{}, func(cfg *Config) { cfg.Logger = log })
	p := tiledesktest.ProjectID
	s, err := WebhookSubscriptions.Create(t.Context(), c, p, WebhookSubscriptionInput{Event: "request.create", Target: "https://example.com/hook"})
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := fake.Doc("subscriptions", s.ID)
	if s.Secret == "" || s.Secret != stored["secret"] || s.Event != "request.create" || s.Target != "https://example.com/hook" {
		t.Fatalf("created %+v; the server holds %v", s, stored)
	}
	got, err := WebhookSubscriptions.Get(t.Context(), c, p, s.ID)
	if err != nil || got.Secret != "" {
		t.Errorf("GET shows the secret: %+v, %v", got, err)
	}
	if _, err := WebhookSubscriptions.Update(t.Context(), c, p, s.ID, WebhookSubscriptionInput{Event: "request.close", Target: "https://example.com/other"}); err != nil {
		t.Fatal(err)
	}
	if d, _ := fake.Doc("subscriptions", s.ID); d["secret"] != stored["secret"] || d["global"] != false || d["event"] != "request.close" {
		t.Errorf("the update changed more than event and target: %v", d)
	}
	if log.text() == "" || strings.Contains(log.text(), s.Secret) {
		t.Errorf("the secret is logged (or nothing is):\n%s", log.text())
	}

	// Without the header (a proxy that drops it), the body's secret.
	c2 := newHandlerClient(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSONBody(w, http.StatusOK, `{"_id":"6750c0ffee0000000000abcd","event":"e","target":"t","secret":"from-the-body","id_project":"`+p+`"}`)
	}, nil)
	s2, err := WebhookSubscriptions.Create(t.Context(), c2, p, WebhookSubscriptionInput{Event: "e", Target: "t"})
	if err != nil || s2.Secret != "from-the-body" {
		t.Errorf("without the header: %+v, %v", s2, err)
	}
}

// SetWebhookSecret gives a subscription a random secret of its own, with a
// PUT of the secret alone (event, target and global stay), unlogged; a
// subscription of another project gets nothing.
func TestSetWebhookSecret(t *testing.T) {
	log := &recLogger{}
	fake, c := newFake(t, tiledesktest.Options{}, func(cfg *Config) { cfg.Logger = log })
	p := tiledesktest.ProjectID
	var secrets []string
	for _, target := range []string{"https://example.com/a", "https://example.com/b"} {
		s, err := WebhookSubscriptions.Create(t.Context(), c, p, WebhookSubscriptionInput{Event: "request.create", Target: target})
		if err != nil {
			t.Fatal(err)
		}
		shared := s.Secret
		own, err := SetWebhookSecret(t.Context(), c, p, s)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := fake.Doc("subscriptions", s.ID)
		if own.Secret == shared || own.Secret != d["secret"] || d["event"] != "request.create" || d["target"] != target || d["global"] != false {
			t.Fatalf("secret %q (the create's %q); the server holds %v", own.Secret, shared, d)
		}
		secrets = append(secrets, own.Secret)
	}
	if secrets[0] == secrets[1] {
		t.Errorf("two subscriptions got the same secret %q", secrets[0])
	}
	for _, s := range secrets {
		if strings.Contains(log.text(), s) {
			t.Errorf("the secret is logged:\n%s", log.text())
		}
	}

	foreign := fake.SeedDoc("subscriptions", tiledesktest.OtherProjectID, map[string]any{"event": "request.create", "target": "https://example.com/f"})
	fake.ResetCounts()
	var f WebhookSubscription
	f.ID, f.ProjectID = foreign["_id"].(string), tiledesktest.OtherProjectID
	if _, err := SetWebhookSecret(t.Context(), c, p, &f); !isGone(err, GoneForeign) {
		t.Errorf("another project's subscription: %v, want gone (foreign)", err)
	}
	if w := fake.Writes(); w != 0 {
		t.Errorf("%d writes sent to another project's subscription", w)
	}
}

// A secret field in an error body is masked in the error, as in the logs.
func TestWebhookSubscriptions_secretNotInErrors(t *testing.T) {
	c := newHandlerClient(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSONBody(w, http.StatusBadGateway, `{"secret":"leaked-secret","event":"e"}`)
	}, func(cfg *Config) { cfg.MaxRetries = new(0) })
	_, err := WebhookSubscriptions.Get(t.Context(), c, tiledesktest.ProjectID, "6750c0ffee0000000000abcd")
	if err == nil || strings.Contains(err.Error(), "leaked-secret") {
		t.Errorf("error %v", err)
	}
}

// A create of an existing (event, target) answers the project's first
// subscription of the event, whatever its target: the client returns what
// the server answered, and UniqueKey and Same tell it from what was sent.
func TestWebhookSubscriptions_duplicateAnswersAnother(t *testing.T) {
	_, c := newFake(t, tiledesktest.Options{}, nil)
	p := tiledesktest.ProjectID
	first, err := WebhookSubscriptions.Create(t.Context(), c, p, WebhookSubscriptionInput{Event: "request.create", Target: "https://example.com/1"})
	if err != nil {
		t.Fatal(err)
	}
	in := WebhookSubscriptionInput{Event: "request.create", Target: "https://example.com/2"}
	second, err := WebhookSubscriptions.Create(t.Context(), c, p, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := WebhookSubscriptions.Create(t.Context(), c, p, in)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID || again.Secret == "" {
		t.Fatalf("the duplicate create answered %+v, want the first subscription %s", again, first.ID)
	}
	if WebhookSubscriptions.Same(again, in) {
		t.Error("Same accepts the first subscription for the second's definition")
	}
	if WebhookSubscriptions.AnsweredExisting(first) || WebhookSubscriptions.AnsweredExisting(second) || !WebhookSubscriptions.AnsweredExisting(again) {
		t.Errorf("AnsweredExisting tells new subscriptions (%v, %v) from the duplicate's answer (%v) wrongly",
			WebhookSubscriptions.AnsweredExisting(first), WebhookSubscriptions.AnsweredExisting(second), WebhookSubscriptions.AnsweredExisting(again))
	}
	ofT, ofIn, ok := WebhookSubscriptions.UniqueKey(second, in)
	if !ok || ofT != ofIn {
		t.Errorf("UniqueKey(%+v, %+v) = %q, %q, %v", second, in, ofT, ofIn, ok)
	}
	if ofT, ofIn, _ := WebhookSubscriptions.UniqueKey(first, in); ofT == ofIn {
		t.Errorf("the first subscription has the second's key %q", ofIn)
	}
}

// Everything needs the admin role: an agent's 403 is forbidden.
func TestWebhookSubscriptions_adminOnly(t *testing.T) {
	_, base := tiledesktest.NewTest(t, tiledesktest.Options{})
	_, err := WebhookSubscriptions.LiveAll(t.Context(), agentClient(t, base), tiledesktest.ProjectID)
	if Classify(err) != KindForbidden || !strings.Contains(err.Error(), "you dont have the required role") {
		t.Errorf("an agent's list: %v", err)
	}
}

func TestIsSubscriptionEvent(t *testing.T) {
	for e, want := range map[string]bool{
		"request.create": true, "operator.select": true, "event.emit": true, "event.emit.checkout": true,
		"event.emit.": false, "request.craete": false, "": false, "Request.Create": false,
	} {
		if got := IsSubscriptionEvent(e); got != want {
			t.Errorf("IsSubscriptionEvent(%q) = %v", e, got)
		}
	}
}
