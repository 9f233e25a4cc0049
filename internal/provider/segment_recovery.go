package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

// A create (POST) is never retried once it may have reached the server: a
// retry could duplicate the segment. When its answer is lost, the provider
// looks for the segment instead, and adopts it when exactly one live segment
// of the project has the same definition and was created around the time of
// the request. So a lost answer neither duplicates the segment nor leaves
// an unmanaged copy behind.

// recoveryWindow is how long before the request a found segment may have
// been created by the server's clock: room for clock skew between the two.
const recoveryWindow = 10 * time.Minute

// createMayHaveHappened reports a create that failed in a way that leaves
// open whether the server saved the segment: the request reached it but no
// answer came back, or a proxy answered for a server that may have.
func createMayHaveHappened(err error) bool {
	code := tiledesk.StatusCode(err)
	return tiledesk.MaybeProcessed(err) || code == http.StatusBadGateway || code == http.StatusGatewayTimeout
}

// recoverLostCreate looks for the segment a failed create may have saved,
// and returns it when it is certain; otherwise it adds an error that says
// what is known and what to do, and returns nil.
func recoverLostCreate(ctx context.Context, client *tiledesk.Client, project string, in tiledesk.SegmentInput,
	sent time.Time, createErr error, diags *diag.Diagnostics) *tiledesk.Segment {
	summary := fmt.Sprintf("Could not create segment %q in project %s", in.Name, project)
	all, err := client.ListSegments(ctx, project)
	if err != nil {
		diags.AddError(summary, fmt.Sprintf("%v\n\nThe request reached the server but no answer came back, so the segment may have been created, "+
			"and looking for it failed too (%v). The provider never resends a create, to avoid duplicates. "+
			"Before applying again, look for a segment named %q in the dashboard or with the tiledesk_segments data source: "+
			"if it exists, adopt it with `terraform import <address> %s/<segment id>` (or an import block).", createErr, err, in.Name, project))
		return nil
	}
	var found []tiledesk.Segment
	for _, s := range all {
		if sameDefinition(s, in) && !s.CreatedAt.Before(sent.Add(-recoveryWindow)) {
			found = append(found, s)
		}
	}
	switch len(found) {
	case 0:
		diags.AddError(summary, fmt.Sprintf("%v\n\nNo answer came back, and no segment with this definition exists in the project: "+
			"nothing was created. Apply again.", createErr))
		return nil
	case 1:
		diags.AddWarning("Segment creation answer lost; segment adopted",
			fmt.Sprintf("The answer to the creation of %q was lost (%v), but the server had saved it: segment %s, created at %s, "+
				"has exactly this definition and is now managed by this resource.", in.Name, createErr, found[0].ID, found[0].CreatedAt.UTC().Format(time.RFC3339)))
		return &found[0]
	default:
		ids := make([]string, len(found))
		for i, s := range found {
			ids[i] = s.ID
		}
		diags.AddError(summary, fmt.Sprintf("%v\n\nNo answer came back, and %d recent segments of the project have this definition: %s. "+
			"The provider cannot tell which one this request created. Import the one to manage with `terraform import <address> %s/<segment id>` "+
			"and delete the others in the dashboard.", createErr, len(found), strings.Join(ids, ", "), project))
		return nil
	}
}

// sameDefinition reports whether a segment holds exactly what in sends.
func sameDefinition(s tiledesk.Segment, in tiledesk.SegmentInput) bool {
	if s.Name != in.Name || s.Match != in.Match || len(s.Filters) != len(in.Filters) {
		return false
	}
	for i, f := range in.Filters {
		g := s.Filters[i]
		if g.Field != f.Field || g.Operator != f.Operator || !jsonEqual(g.Value, f.Value) {
			return false
		}
	}
	return true
}
