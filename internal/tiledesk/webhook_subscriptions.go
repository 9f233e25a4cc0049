package tiledesk

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// WebhookSubscription sends a project's events of one kind to a URL.
type WebhookSubscription struct {
	Meta
	Event  string
	Target string
	// Secret is what the server sends in each delivery's x-hook-secret
	// header and signs the delivery's token with. Only the answer to a create
	// holds it (the x-hook-secret header, else the body's secret): GET and
	// the list never show it. Some databases leak it into the answers to PUT
	// and DELETE too (FerretDB; MongoDB does not): do not rely on it outside
	// a create. The create's is the server's one secret for every
	// subscription it creates (SetWebhookSecret).
	Secret string
	// saved is true when the answer holds `global`, which only a new
	// subscription's does: the server answers a create of an existing event
	// and target with a subscription read without it.
	saved bool
}

// UnmarshalJSON reads a subscription as the server sends it.
func (s *WebhookSubscription) UnmarshalJSON(b []byte) error {
	var w struct {
		wireMeta
		Event  string          `json:"event"`
		Target string          `json:"target"`
		Secret string          `json:"secret"`
		Global json.RawMessage `json:"global"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*s = WebhookSubscription{Meta: w.meta(), Event: w.Event, Target: w.Target, Secret: w.Secret, saved: w.Global != nil}
	return nil
}

// fromHeader takes the secret from a create's x-hook-secret header.
func (s *WebhookSubscription) fromHeader(h http.Header) {
	if v := h.Get("X-Hook-Secret"); v != "" {
		s.Secret = v
	}
}

// WebhookSubscriptionInput is what a create or an update sends: only the
// event and the target (the server's PUT writes any key it is sent).
type WebhookSubscriptionInput struct {
	Event  string
	Target string
}

// WebhookSubscriptions are served under {project}/subscriptions, to admins
// only: a list answered whole, GET, PUT (the raw body, with upsert) and
// DELETE (for good) by id alone, for any project's subscription. The server
// keeps one subscription per (event, target) of a project and answers a
// create of an existing one with the project's first subscription of that
// event, whatever its target.
var WebhookSubscriptions = &Objects[WebhookSubscription, WebhookSubscriptionInput]{
	Name:  "webhook subscription",
	Path:  "subscriptions",
	Roles: "the admin role (or owner) for everything about webhook subscriptions, reading included",
	clone: func(s WebhookSubscription) WebhookSubscription { return s },
	wire: func(in WebhookSubscriptionInput) any {
		return map[string]string{"event": in.Event, "target": in.Target}
	},
	same: func(s *WebhookSubscription, in WebhookSubscriptionInput) bool {
		return s.Event == in.Event && s.Target == in.Target
	},
	uniqueOf:   func(s *WebhookSubscription) string { return subscriptionKey(s.Event, s.Target) },
	uniqueIn:   func(in WebhookSubscriptionInput) string { return subscriptionKey(in.Event, in.Target) },
	uniqueName: "event and target",
	// A create of an existing event and target answers the project's first
	// subscription of that event, read without `global` (select: false); a
	// new one is answered as saved, with it. So even the subscription of
	// exactly this event and target that someone else created between the
	// provider's check and its create is told from a new one.
	existed: func(s *WebhookSubscription) bool { return !s.saved },
}

// SetWebhookSecret gives subscription s of project, just seen live there
// (the answer to its create, or the lookup after a lost answer), a secret of
// its own, and returns the subscription with that secret. A create alone
// does not: the server's default secret is drawn once per server process,
// so every subscription one server process creates, in any project, gets
// the same, which then every admin of every project on that server learns
// from their own create; and replacing a subscription would not rotate it.
// The PUT sends only the secret (the server sets every key it is sent, and
// keeps the others); it is idempotent, so retried like any PUT.
func SetWebhookSecret(ctx context.Context, c *Client, project string, s *WebhookSubscription) (*WebhookSubscription, error) {
	if err := WebhookSubscriptions.LiveIn(s, project); err != nil {
		return nil, err
	}
	secret := newSecret()
	out, err := WebhookSubscriptions.put(ctx, c, map[string]string{"secret": secret}, project, s.ID)
	if err != nil {
		return nil, err
	}
	out.Secret = secret // MongoDB's answer hides it
	return out, nil
}

// newSecret is a random UUID (version 4): the form the server's own secrets
// have.
func newSecret() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func subscriptionKey(event, target string) string {
	return fmt.Sprintf("event %q, target %q", event, target)
}

// SubscriptionEvents are the events tiledesk-server 2.19 delivers to
// subscriptions (its notifiers). The server stores any event name; one
// outside this list never fires. event.emit.<name> fires for the custom
// event <name> (IsSubscriptionEvent).
var SubscriptionEvents = []string{
	"request.create", "request.update", "request.close",
	"message.create", "lead.create",
	"project_user.invite", "project_user.update", "project_user.update.agent", "project_user.delete",
	"user.signup", "operator.select",
	"department.create", "department.update", "department.delete",
	"group.create", "group.update", "group.delete",
	"faqbot.create", "faqbot.update", "faqbot.delete", "faq.create", "faq.update", "faq.delete",
	"event.emit",
	"project.create", "project.update", "project.downgrade", "project.delete",
}

// IsSubscriptionEvent reports whether the server delivers event: one of
// SubscriptionEvents, or event.emit.<name>.
func IsSubscriptionEvent(event string) bool {
	name, custom := strings.CutPrefix(event, "event.emit.")
	return slices.Contains(SubscriptionEvents, event) || (custom && name != "")
}
