package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

// tiledesk_webhook_subscription: Tiledesk POSTs a project's events of one
// kind to a URL. The Terraform types are the generic ones; the secret is its
// own: only the create's answer holds it.

type webhookSubscriptionModel struct {
	objectModel
	Event  types.String `tfsdk:"event"`
	Target types.String `tfsdk:"target"`
	Secret types.String `tfsdk:"secret"`
}

var webhookSubscriptionType = &objectType[webhookSubscriptionModel, tiledesk.WebhookSubscription, tiledesk.WebhookSubscriptionInput]{
	objects: tiledesk.WebhookSubscriptions,
	description: "A webhook subscription: Tiledesk POSTs a project's events of one kind (`event`) to a URL (`target`), signed " +
		"with `secret`. `event` and `target` update it in place; a change of `project_id` replaces it. Edits and deletions made " +
		"in the dashboard show as drift. A project holds one subscription per event and target: creating one that exists is " +
		"an error that names it (import it instead). Needs the admin role in the project (or owner), to read it too.",
	attributes: func() map[string]schema.Attribute {
		return map[string]schema.Attribute{
			"event": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The event delivered: one of `" + strings.Join(tiledesk.SubscriptionEvents, "`, `") +
					"`, or `event.emit.<name>` for the custom event `<name>`. Tiledesk stores any name; any other gets a plan-time warning " +
					"that names the closest event, as it never fires.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1), subscriptionEventValidator},
			},
			"target": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The http(s) URL Tiledesk POSTs each event to.",
				Validators:          []validator.String{httpURLValidator()},
			},
			"secret": schema.StringAttribute{
				Computed: true, Sensitive: true,
				MarkdownDescription: "The secret Tiledesk sends in each delivery's `x-hook-secret` header and signs its `token` with: " +
					"a random UUID of this subscription's own, which the provider gives it right after the create (Tiledesk 2.19 would give " +
					"every subscription one server process creates the same secret). Tiledesk never shows it again: it is kept in the state, " +
					"and is null after an import. To rotate it, replace the subscription (`terraform apply -replace=<address>`).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		}
	},
	resourceOnly: []string{"secret"},
	written:      ownSecret,
	nameAttr:     "target",
	nameOf:       func(s *tiledesk.WebhookSubscription) string { return s.Target },
	nameIn:       func(in tiledesk.WebhookSubscriptionInput) string { return in.Target },
	base:         func(m *webhookSubscriptionModel) *objectModel { return &m.objectModel },
	input: func(_ context.Context, p webhookSubscriptionModel) (tiledesk.WebhookSubscriptionInput, diag.Diagnostics) {
		return tiledesk.WebhookSubscriptionInput{Event: p.Event.ValueString(), Target: p.Target.ValueString()}, nil
	},
	state: func(_ context.Context, s *tiledesk.WebhookSubscription, prior *webhookSubscriptionModel) (webhookSubscriptionModel, diag.Diagnostics) {
		// Only a create's answer holds the secret (the plan's is unknown then);
		// every other answer keeps what the state holds.
		secret := nullIfEmpty(s.Secret)
		if prior != nil && !prior.Secret.IsUnknown() {
			secret = prior.Secret
		}
		return webhookSubscriptionModel{Event: types.StringValue(s.Event), Target: types.StringValue(s.Target), Secret: secret}, nil
	},
}

// ownSecret gives a subscription just created a secret of its own
// (tiledesk.SetWebhookSecret). When that fails the subscription is recorded
// without a secret, beside the error: Terraform taints it, so the next apply
// replaces it.
func ownSecret(ctx context.Context, c *tiledesk.Client, project string, s *tiledesk.WebhookSubscription, _ webhookSubscriptionModel, created bool) (*tiledesk.WebhookSubscription, error) {
	if !created {
		return s, nil
	}
	own, err := tiledesk.SetWebhookSecret(ctx, c, project, s)
	if err != nil {
		unknown := *s
		unknown.Secret = "" // the PUT may have landed: which secret the server holds is not known
		return &unknown, fmt.Errorf("the subscription was created, but giving it a secret of its own failed: %w. "+
			"Its secret is unknown to Terraform (null in the state) and it is marked tainted: the next apply replaces it", err)
	}
	return own, nil
}

// subscriptionEventValidator warns (never errors: the server stores any
// name) about an event the server never delivers, naming the closest one.
var subscriptionEventValidator = unknownNameValidator{
	summary:     "Unknown webhook event",
	description: "warns when the event is not one Tiledesk 2.19 delivers",
	known:       tiledesk.IsSubscriptionEvent,
	closest:     func(event string) string { return nearest(event, tiledesk.SubscriptionEvents) },
	notKnown:    "an event Tiledesk 2.19 delivers",
	advice: "It delivers " + strings.Join(tiledesk.SubscriptionEvents, ", ") + ", and event.emit.<name> for a custom event. " +
		"The server stores any name, but a subscription to an event it never emits never fires; " +
		"if your server emits %[1]q, ignore this warning.",
}
