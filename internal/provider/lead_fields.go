package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// leadFields are the top-level fields of a lead in Tiledesk 2.19 (the
// server's lead model). A filter on any other field is accepted by the
// server and silently matches nobody, so the provider warns about it.
var leadFields = []string{
	"lead_id", "fullname", "email", "phone", "company", "note", "streetAddress", "city", "region",
	"zipcode", "country", "tags", "status", "id_project", "createdBy", "createdAt", "updatedAt", "_id",
}

// leadFreeFormFields are the lead's free-form objects: any field under them
// (`attributes.orders`) is a valid filter field.
var leadFreeFormFields = []string{"attributes", "properties"}

// isKnownLeadField reports a field the server's lead model has: one of
// leadFields, or a name under one of leadFreeFormFields.
func isKnownLeadField(field string) bool {
	for _, f := range leadFields {
		if field == f {
			return true
		}
	}
	for _, f := range leadFreeFormFields {
		if rest, ok := strings.CutPrefix(field, f+"."); ok && rest != "" {
			return true
		}
	}
	return false
}

// closestLeadField is the known field nearest to an unknown one, or "" when
// none is near enough to be a likely typo. A mistyped prefix of a free-form
// field (`attribute.orders`) suggests the same name under the right prefix.
func closestLeadField(field string) string {
	if head, rest, ok := strings.Cut(field, "."); ok && rest != "" {
		if f := nearest(head, leadFreeFormFields); f != "" {
			return f + "." + rest
		}
		// a dotted path under a top-level field (`emial.x`) is not a typo we can fix
		return ""
	}
	if f := nearest(field, leadFields); f != "" {
		return f
	}
	if f := nearest(field, leadFreeFormFields); f != "" {
		return f + ".<name>"
	}
	return ""
}

// nearest is the candidate with the smallest edit distance to s (case
// ignored), if that distance is small for the candidate's length: at most 1
// for names of up to 4 letters, 2 up to 8, 3 beyond.
func nearest(s string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := editDistance(strings.ToLower(s), strings.ToLower(c))
		limit := 1
		switch {
		case len(c) > 8:
			limit = 3
		case len(c) > 4:
			limit = 2
		}
		if d <= limit && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of adjacent letters (the
// usual typo, `emial`) count one each.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// unknownNameValidator warns (never errors: the server accepts any name)
// when a name is not one the server knows, naming the closest known one:
// the lead fields of segment filters, the events of webhook subscriptions.
type unknownNameValidator struct {
	summary, description string
	known                func(string) bool
	closest              func(string) string // "" when none is near enough to be a likely typo
	// notKnown completes "<name> is not ..."; advice follows the suggestion,
	// with %[1]q for the name.
	notKnown, advice string
}

func (v unknownNameValidator) Description(context.Context) string { return v.description }

func (v unknownNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v unknownNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	name := req.ConfigValue.ValueString()
	if name == "" || v.known(name) {
		return // an empty name is the length validator's error
	}
	msg := fmt.Sprintf("%s: %q is not %s", req.Path, name, v.notKnown)
	if s := v.closest(name); s != "" {
		msg += fmt.Sprintf(": did you mean %s?", s)
	} else {
		msg += "."
	}
	resp.Diagnostics.AddAttributeWarning(req.Path, v.summary, msg+" "+fmt.Sprintf(v.advice, name))
}

// leadFieldValidator warns when a filter's field is not a lead field of
// Tiledesk 2.19.
var leadFieldValidator = unknownNameValidator{
	summary:     "Unknown lead field",
	description: "warns when the field is not a lead field of Tiledesk 2.19 nor under attributes. or properties.",
	known:       isKnownLeadField,
	closest:     closestLeadField,
	notKnown:    "a lead field of Tiledesk 2.19",
	advice: "Leads have " + strings.Join(leadFields, ", ") + ", and any name under attributes. or properties. (such as attributes.orders). " +
		"The server accepts any field, but a filter on a field that no lead has does not test what it seems to; " +
		"if your leads do carry %[1]q, ignore this warning.",
}

// leadFieldDoc describes the field attribute of a filter.
var leadFieldDoc = "Lead field to test: one of `" + strings.Join(leadFields, "`, `") +
	"`, or a name under `attributes.` or `properties.` (`attributes.orders`). Any other field gets a plan-time warning " +
	"that names the closest lead field (`emial`: did you mean `email`?); it is not an error, as the server accepts any field."
