package provider

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

var objectIDPattern = regexp.MustCompile(`^[0-9a-fA-F]{24}$`)

// isObjectID reports a 24-character hexadecimal id, the only shape of
// project and segment ids the server accepts.
func isObjectID(s string) bool { return objectIDPattern.MatchString(s) }

// httpURLValidator accepts an absolute http(s) URL with a host and no
// white space (a webhook's target).
func httpURLValidator() validator.String {
	return stringvalidator.RegexMatches(regexp.MustCompile(`^(?i:https?)://[^\s/?#]+(?:[/?#]\S*)?$`),
		"must be an absolute http or https URL, such as https://hooks.example.com/tiledesk")
}

func objectIDValidator() validator.String {
	return stringvalidator.RegexMatches(objectIDPattern, "must be a 24-character hexadecimal id, such as 6750c0ffee00000000001234")
}

// apiURLValidator checks that api_url is an http(s) URL.
type apiURLValidator struct{}

func (apiURLValidator) Description(context.Context) string {
	return "must be an http or https URL"
}

func (v apiURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (apiURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := tiledesk.ParseBaseURL(req.ConfigValue.ValueString()); err != nil || req.ConfigValue.ValueString() == "" {
		msg := "the API URL must not be empty: omit api_url for the cloud API"
		if err != nil {
			msg = err.Error()
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Tiledesk API URL", msg+".")
	}
}

// durationValidator checks a positive Go duration such as 30s.
type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "must be a positive duration such as 30s or 2m"
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if d, err := time.ParseDuration(req.ConfigValue.ValueString()); err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%q is not a positive duration such as 30s or 2m.", req.ConfigValue.ValueString()))
	}
}

// regexValidator checks that a string compiles as a Go regular expression.
type regexValidator struct{}

func (regexValidator) Description(context.Context) string {
	return "must be a valid RE2 regular expression"
}

func (v regexValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (regexValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid regular expression",
			fmt.Sprintf("%q is not a valid RE2 regular expression: %v.", req.ConfigValue.ValueString(), err))
	}
}
