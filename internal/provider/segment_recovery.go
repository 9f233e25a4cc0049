package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

// How a create stays exactly-once (docs/guides/troubleshooting.md tells users):
//
//  1. A POST already sent is finished when Terraform asks the provider to stop
//     (the client runs it on a context detached from the cancellation, bounded
//     by request_timeout), and so is the lookup that follows a lost answer:
//     the segment lands in the state. Nothing new is sent after the stop.
//  2. Every failure of a POST that does not prove the segment was not saved
//     (tiledesk.MayHaveCreated: a lost answer, any 5xx, a timeout after the
//     request was written) goes through createSegment's "look, then decide":
//     adopt the one matching segment created since the request was sent;
//     send again only when the lookup proves there is none (at most
//     max_retries times); stop with an error when it is ambiguous.
//  3. A create that was never recorded (a second Ctrl-C, a killed runner)
//     leaves a segment no state holds. Before its first create, each provider
//     process walks the project's list once and refuses to create a segment
//     when a live one with exactly the same definition, created by the same
//     user, exists that was created within unrecordedWindow BEFORE the
//     terraform command running the provider started. It names the segment
//     and the import command instead. It never adopts such a segment: another
//     configuration run by the same user (a team's workspaces) may manage
//     it, and nothing tells the two cases apart. Segments created after the
//     command started cannot be leftovers of an earlier command, so two
//     applies started together in two directories each create their own.

// recoveryWindow is how long before the request a found segment may have
// been created by the server's clock: room for clock skew between the two.
const recoveryWindow = 10 * time.Minute

// unrecordedWindow is how far back, before this command started, a segment
// with the same definition counts as an unrecorded create of an earlier,
// killed command. Older segments are someone's on purpose.
const unrecordedWindow = 10 * time.Minute

// processStart is when this provider process started: the reference time
// where the start of the command that runs it cannot be read.
var processStart = time.Now()

// createGuard is the state the creates of one provider process share.
type createGuard struct {
	// user is the id of the authenticated user, "" when it cannot be known
	// (Basic auth, an opaque token): then segments of any user count.
	user string
	// since is when the terraform command running this provider started.
	since time.Time

	mu      sync.Mutex
	walked  map[string][]tiledesk.Segment // project -> candidates of rule 3
	claimed map[string]bool               // segment ids this process created or adopted
}

func newCreateGuard(token string) *createGuard {
	since := parentStart()
	if since.IsZero() || since.After(processStart) || processStart.Sub(since) > 24*time.Hour {
		since = processStart
	}
	return &createGuard{user: tiledesk.TokenUserID(token), since: since, walked: map[string][]tiledesk.Segment{}, claimed: map[string]bool{}}
}

func (g *createGuard) claim(id string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.claimed[id] = true
}

func (g *createGuard) isClaimed(id string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.claimed[id]
}

// unrecorded returns the live segments of project that rule 3 treats as
// unrecorded creates of in. One list walk per project and process, shared by
// all its creates (a failed walk is tried again by the next create).
func (g *createGuard) unrecorded(ctx context.Context, client *tiledesk.Client, project string, in tiledesk.SegmentInput) ([]tiledesk.Segment, error) {
	g.mu.Lock()
	defer g.mu.Unlock() // one walk at a time: the other creates wait for its result
	cands, ok := g.walked[project]
	if !ok {
		all, err := client.ListSegmentsCreatedSince(ctx, project, g.since.Add(-unrecordedWindow))
		if err != nil {
			return nil, err
		}
		for _, s := range all {
			if (g.user == "" || s.CreatedBy == g.user) && !s.CreatedAt.IsZero() &&
				s.CreatedAt.Before(g.since) && !s.CreatedAt.Before(g.since.Add(-unrecordedWindow)) {
				cands = append(cands, s)
			}
		}
		g.walked[project] = cands
	}
	var out []tiledesk.Segment
	for _, s := range cands {
		if !g.claimed[s.ID] && sameDefinition(s, in) {
			out = append(out, s)
		}
	}
	return out, nil
}

// createSegment creates in in project exactly once, or adds an error that
// says what is known and what to do, and returns nil. It is the one "look,
// then decide" path of every create.
func (g *createGuard) createSegment(ctx context.Context, client *tiledesk.Client, project string, in tiledesk.SegmentInput, diags *diag.Diagnostics) *tiledesk.Segment {
	summary := fmt.Sprintf("Could not create segment %q in project %s", in.Name, project)
	left, err := g.unrecorded(ctx, client, project, in)
	if err != nil {
		diags.AddError(summary, fmt.Sprintf("Before creating it, the provider looks for a copy that an interrupted apply created without recording it, "+
			"and that lookup failed: %v\n\nNothing was created. %s", err, hint(err)))
		return nil
	}
	if len(left) > 0 {
		diags.AddError(fmt.Sprintf("Segment %q may already exist, created by an interrupted apply", in.Name), unrecordedDetail(project, left))
		return nil
	}

	for resend := 0; ; resend++ {
		sent := time.Now()
		seg, err := client.CreateSegment(ctx, project, in)
		if err == nil {
			g.claim(seg.ID)
			return seg
		}
		if !tiledesk.MayHaveCreated(err) {
			diags.Append(apiErrorDiag(summary, err))
			return nil
		}
		// Look, then decide. The lookup finishes even when Terraform asked the
		// provider to stop: it is what puts a segment already saved in the
		// state. Each request stays bounded by request_timeout.
		all, lerr := client.ListSegmentsCreatedSince(context.WithoutCancel(ctx), project, sent.Add(-recoveryWindow))
		if lerr != nil {
			diags.AddError(summary, fmt.Sprintf("%v\n\nThe segment may have been created, and looking for it failed too (%v). "+
				"The provider never resends a create it cannot prove failed, to avoid duplicates. "+
				"Before applying again, look for a segment named %q in the dashboard or with the tiledesk_segments data source: "+
				"if it exists, adopt it with `terraform import <address> %s/<segment id>` (or an import block).", err, lerr, in.Name, project))
			return nil
		}
		one, several := tiledesk.PickSegment(all, func(s tiledesk.Segment) bool {
			return sameDefinition(s, in) && !s.CreatedAt.Before(sent.Add(-recoveryWindow)) && !g.isClaimed(s.ID)
		})
		switch {
		case one != nil:
			g.claim(one.ID)
			diags.AddWarning("Segment creation answer lost; segment adopted",
				fmt.Sprintf("The answer to the creation of %q was lost (%v), but the server had saved it: segment %s, created at %s, "+
					"has exactly this definition and is now managed by this resource.", in.Name, err, one.ID, one.CreatedAt.UTC().Format(time.RFC3339)))
			return one
		case several != nil:
			diags.AddError(summary, fmt.Sprintf("%v\n\nNo answer came back, and %d recent segments of the project have this definition: %s. "+
				"The provider cannot tell which one this request created. Import the one to manage with `terraform import <address> %s/<segment id>` "+
				"and delete the others in the dashboard.", err, len(several), strings.Join(several, ", "), project))
			return nil
		case ctx.Err() != nil:
			diags.AddError(summary, fmt.Sprintf("%v\n\nNo segment with this definition exists in the project: nothing was created, "+
				"and the apply was stopped before the create could be sent again. Apply again.", err))
			return nil
		case resend >= client.MaxRetries():
			diags.AddError(summary, fmt.Sprintf("%v\n\nNo segment with this definition exists in the project: nothing was created "+
				"(the create was sent %d times). %s Apply again.", err, resend+1, hint(err)))
			return nil
		}
		// Proven not created: send it again, after the usual wait.
		t := time.NewTimer(client.ResendWait(resend+1, err))
		select {
		case <-ctx.Done():
			t.Stop()
			diags.AddError(summary, fmt.Sprintf("%v\n\nNo segment with this definition exists in the project: nothing was created, "+
				"and the apply was stopped before the create could be sent again. Apply again.", err))
			return nil
		case <-t.C:
		}
	}
}

// unrecordedDetail explains rule 3's refusal: which segments, and the ways out.
func unrecordedDetail(project string, left []tiledesk.Segment) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The project already holds %d live segment(s) with exactly this name, match and filters, created by the same user "+
		"in the %s before this run started, that this run did not create:\n", len(left), unrecordedWindow)
	latest := left[0].CreatedAt
	for _, s := range left {
		fmt.Fprintf(&b, "  - %s, created at %s\n", s.ID, s.CreatedAt.UTC().Format(time.RFC3339))
		if s.CreatedAt.After(latest) {
			latest = s.CreatedAt
		}
	}
	fmt.Fprintf(&b, "\nMost likely an earlier apply was stopped hard (a second Ctrl-C, a killed CI runner) after the server saved the segment "+
		"and before Terraform recorded it. Creating another would duplicate it, so nothing was sent. Either:\n"+
		"  - adopt it: `terraform import <address of this resource, shown above> %s/%s` (or an import block with that id), then apply again;\n"+
		"  - if another configuration manages it (a workspace that applied the same definition just before), apply again after %s: "+
		"segments created more than %s before an apply starts are not considered;\n"+
		"  - if it is an unwanted copy, delete it in the dashboard and apply again.",
		project, left[0].ID, latest.Add(unrecordedWindow).UTC().Format(time.RFC3339), unrecordedWindow)
	return b.String()
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
