package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

// How a create stays exactly-once, for every type of object
// (docs/guides/troubleshooting.md tells users):
//
//  1. A POST already sent is finished when Terraform asks the provider to stop
//     (the client runs it on a context detached from the cancellation, bounded
//     by request_timeout), and so is the lookup that follows a lost answer:
//     the object lands in the state. Nothing new is sent after the stop.
//  2. Every failure of a POST that does not prove the object was not saved
//     (tiledesk.MayHaveCreated: a lost answer, any 5xx, a timeout after the
//     request was written) goes through createObject's "look, then decide":
//     adopt the one object of exactly this definition created since the
//     request was sent; send again only when the lookup proves there is none
//     (at most max_retries times); stop with an error when it is ambiguous.
//  3. A create that was never recorded (a second Ctrl-C, a killed runner)
//     leaves an object no state holds. Before its first create of a type in a
//     project, each provider process lists that project's recent objects once
//     and refuses to create one when a live one with exactly the same
//     definition, created by the same user, exists that was created within
//     unrecordedWindow BEFORE the terraform command running the provider
//     started. It names the object and the import command instead. It never
//     adopts such an object: another configuration run by the same user (a
//     team's workspaces) may manage it, and nothing tells the two cases apart.
//     Objects created after the command started cannot be leftovers of an
//     earlier command, so two applies started together in two directories
//     each create their own.
//  4. Where the server keeps one object per key (a tag's name, a webhook
//     subscription's event and target) and answers a create of an existing
//     key with the existing object, a create is refused when the key exists
//     (the error names the object and the import command), and an answer that
//     is not a new object of exactly the sent definition is an error: another
//     configuration's object is never adopted. Not new: an object of another
//     definition, one listed before the create, one whose answer's shape says
//     so (a subscription's), or one created by another user (an object of
//     the same definition created between the look and the create). Left: a
//     tag of the same name and color that the same user created in that
//     instant (another apply with the same credentials), which the server's
//     answer does not tell from a new one.

// recoveryWindow is how long before the request a found object may have
// been created by the server's clock: room for clock skew between the two.
const recoveryWindow = 10 * time.Minute

// unrecordedWindow is how far back, before this command started, an object
// with the same definition counts as an unrecorded create of an earlier,
// killed command. Older objects are someone's on purpose.
const unrecordedWindow = 10 * time.Minute

// processStart is when this provider process started: the reference time
// where the start of the command that runs it cannot be read.
var processStart = time.Now()

// createGuard is the state the creates of one provider process share.
type createGuard struct {
	// user is the id of the authenticated user, "" when it cannot be known
	// (Basic auth, an opaque token): then objects of any user count.
	user string
	// since is when the terraform command running this provider started.
	since time.Time

	mu      sync.Mutex
	walked  map[walkedKey]any // the candidates of rule 3 ([]T), per type and project
	claimed map[string]bool   // ids this process created or adopted (object ids are unique across types)
}

type walkedKey struct{ path, project string }

func newCreateGuard(token string) *createGuard {
	since := parentStart()
	if since.IsZero() || since.After(processStart) || processStart.Sub(since) > 24*time.Hour {
		since = processStart
	}
	return &createGuard{user: tiledesk.TokenUserID(token), since: since, walked: map[walkedKey]any{}, claimed: map[string]bool{}}
}

// notMine reports whether m was created by another user than this
// provider's: then it is not what this provider's create made (the server
// records the creator of each create). False when either is unknown.
func (g *createGuard) notMine(m *tiledesk.Meta) bool {
	return g.user != "" && m.CreatedBy != "" && m.CreatedBy != g.user
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

// unrecorded returns the live objects of project that rule 3 treats as
// unrecorded creates of in. One list walk per type, project and process,
// shared by all its creates (a failed walk is tried again by the next one).
func unrecorded[T, In any](ctx context.Context, g *createGuard, client *tiledesk.Client, k *tiledesk.Objects[T, In], project string, in In) ([]T, error) {
	g.mu.Lock()
	defer g.mu.Unlock() // one walk at a time: the other creates wait for its result
	key := walkedKey{k.Path, project}
	cands, ok := g.walked[key].([]T)
	if !ok {
		all, err := k.CreatedSince(ctx, client, project, g.since.Add(-unrecordedWindow))
		if err != nil {
			return nil, err
		}
		for i := range all {
			m := k.Meta(&all[i])
			if (g.user == "" || m.CreatedBy == g.user) && !m.CreatedAt.IsZero() &&
				m.CreatedAt.Before(g.since) && !m.CreatedAt.Before(g.since.Add(-unrecordedWindow)) {
				cands = append(cands, all[i])
			}
		}
		g.walked[key] = cands
	}
	var out []T
	for i := range cands {
		if !g.claimed[k.Meta(&cands[i]).ID] && k.Same(&cands[i], in) {
			out = append(out, cands[i])
		}
	}
	return out, nil
}

// objectCreate is one create: the type, what is sent, and how messages name
// it (`segment "Leads"`, the tiledesk_segments data source).
type objectCreate[T, In any] struct {
	k          *tiledesk.Objects[T, In]
	project    string
	in         In
	what       string // `segment "Leads"`
	dataSource string // the plural data source that lists the type
}

// createObject creates c.in in c.project exactly once, or adds an error that
// says what is known and what to do, and returns nil. It is the one "look,
// then decide" path of every create of every type.
func createObject[T, In any](ctx context.Context, g *createGuard, client *tiledesk.Client, c objectCreate[T, In], diags *diag.Diagnostics) *T {
	k, project := c.k, c.project
	summary := fmt.Sprintf("Could not create %s in project %s", c.what, project)
	importHint := fmt.Sprintf("`terraform import <address> %s/<%s id>` (or an import block)", project, k.Name)
	existing, ok := c.existingKey(ctx, client, summary, diags)
	if !ok {
		return nil
	}
	left, err := unrecorded(ctx, g, client, k, project, c.in)
	if err != nil {
		diags.AddError(summary, fmt.Sprintf("Before creating it, the provider looks for a copy that an interrupted apply created without recording it, "+
			"and that lookup failed: %v\n\nNothing was created. %s", err, objectHint(k.Roles, err)))
		return nil
	}
	if len(left) > 0 {
		diags.AddError(fmt.Sprintf("%s may already exist, created by an interrupted apply", capitalize(c.what)), unrecordedDetail(k, project, left))
		return nil
	}

	for resend := 0; ; resend++ {
		sent := time.Now()
		obj, err := k.Create(ctx, client, project, c.in)
		if err == nil {
			if _, _, unique := k.UniqueKey(obj, c.in); unique && (!k.Same(obj, c.in) || slices.Contains(existing, k.Meta(obj).ID) ||
				k.AnsweredExisting(obj) || g.notMine(k.Meta(obj))) {
				diags.AddError(summary, fmt.Sprintf("The server answered the create with an existing %[1]s, %[2]s, instead of a new one: "+
					"one with this key exists, which another configuration or the dashboard manages. Nothing was created. "+
					"To manage it here, import it with `terraform import <address> %[3]s/%[2]s`; otherwise choose another key.", k.Name, k.Meta(obj).ID, project))
				return nil
			}
			g.claim(k.Meta(obj).ID)
			return obj
		}
		if !tiledesk.MayHaveCreated(err) {
			diags.Append(objectErrorDiag(k.Roles, summary, err))
			return nil
		}
		// Look, then decide. The lookup finishes even when Terraform asked the
		// provider to stop: it is what puts an object already saved in the
		// state. Each request stays bounded by request_timeout.
		all, lerr := k.CreatedSince(context.WithoutCancel(ctx), client, project, sent.Add(-recoveryWindow))
		if lerr != nil {
			diags.AddError(summary, fmt.Sprintf("%v\n\nThe %s may have been created, and looking for it failed too (%v). "+
				"The provider never resends a create it cannot prove failed, to avoid duplicates. "+
				"Before applying again, look for it in the dashboard or with the %s data source: if it exists, adopt it with %s.",
				err, k.Name, lerr, c.dataSource, importHint))
			return nil
		}
		one, several := k.Pick(all, func(t *T) bool {
			m := k.Meta(t)
			return k.Same(t, c.in) && !m.CreatedAt.Before(sent.Add(-recoveryWindow)) && !g.isClaimed(m.ID) && !slices.Contains(existing, m.ID)
		})
		switch {
		case one != nil:
			m := k.Meta(one)
			g.claim(m.ID)
			diags.AddWarning(capitalize(k.Name)+" creation answer lost; "+k.Name+" adopted",
				fmt.Sprintf("The answer to the creation of %s was lost (%v), but the server had saved it: %s %s, created at %s, "+
					"has exactly this definition and is now managed by this resource.", c.what, err, k.Name, m.ID, m.CreatedAt.UTC().Format(time.RFC3339)))
			return one
		case several != nil:
			diags.AddError(summary, fmt.Sprintf("%v\n\nNo answer came back, and %d recent %ss of the project have this definition: %s. "+
				"The provider cannot tell which one this request created. Import the one to manage with %s and delete the others in the dashboard.",
				err, len(several), k.Name, strings.Join(several, ", "), importHint))
			return nil
		case ctx.Err() != nil:
			diags.AddError(summary, fmt.Sprintf("%v\n\nNo %s with this definition exists in the project: nothing was created, "+
				"and the apply was stopped before the create could be sent again. Apply again.", err, k.Name))
			return nil
		case resend >= client.MaxRetries():
			diags.AddError(summary, fmt.Sprintf("%v\n\nNo %s with this definition exists in the project: nothing was created "+
				"(the create was sent %d times). %s Apply again.", err, k.Name, resend+1, hint(err)))
			return nil
		}
		// Proven not created: send it again, after the usual wait.
		t := time.NewTimer(client.ResendWait(resend+1, err))
		select {
		case <-ctx.Done():
			t.Stop()
			diags.AddError(summary, fmt.Sprintf("%v\n\nNo %s with this definition exists in the project: nothing was created, "+
				"and the apply was stopped before the create could be sent again. Apply again.", err, k.Name))
			return nil
		case <-t.C:
		}
	}
}

// existingKey applies rule 4: for a type whose server answers a create of an
// existing key with that object, it lists the project's live objects and
// refuses a key that exists. It returns the ids of the live objects (none
// for other types); false when the create must not go on (the error is in
// diags).
func (c objectCreate[T, In]) existingKey(ctx context.Context, client *tiledesk.Client, summary string, diags *diag.Diagnostics) ([]string, bool) {
	k := c.k
	var zero T
	if _, _, unique := k.UniqueKey(&zero, c.in); !unique {
		return nil, true
	}
	all, err := k.LiveAll(ctx, client, c.project)
	if err != nil {
		diags.AddError(summary, fmt.Sprintf("Before creating it, the provider checks that no %s of the project has the same key, and that lookup failed: %v\n\n"+
			"Nothing was created. %s", k.Name, err, objectHint(k.Roles, err)))
		return nil, false
	}
	ids := make([]string, len(all))
	for i := range all {
		ids[i] = k.Meta(&all[i]).ID
		if ofT, ofIn, _ := k.UniqueKey(&all[i], c.in); ofT == ofIn {
			diags.AddError(summary, fmt.Sprintf("The project already has %[1]s %[2]s with this key (%[3]s): the server would answer the create with it "+
				"instead of creating one. Nothing was created. To manage it here, import it with `terraform import <address> %[4]s/%[2]s` "+
				"(or an import block); otherwise choose another key.", article(k.Name), ids[i], ofIn, c.project))
			return nil, false
		}
	}
	return ids, true
}

// unrecordedDetail explains rule 3's refusal: which objects, and the ways out.
func unrecordedDetail[T, In any](k *tiledesk.Objects[T, In], project string, left []T) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The project already holds %d live %s(s) with exactly this definition, created by the same user "+
		"in the %s before this run started, that this run did not create:\n", len(left), k.Name, unrecordedWindow)
	first := k.Meta(&left[0])
	latest := first.CreatedAt
	for i := range left {
		m := k.Meta(&left[i])
		fmt.Fprintf(&b, "  - %s, created at %s\n", m.ID, m.CreatedAt.UTC().Format(time.RFC3339))
		if m.CreatedAt.After(latest) {
			latest = m.CreatedAt
		}
	}
	fmt.Fprintf(&b, "\nMost likely an earlier apply was stopped hard (a second Ctrl-C, a killed CI runner) after the server saved the %[5]s "+
		"and before Terraform recorded it. Creating another would duplicate it, so nothing was sent. Either:\n"+
		"  - adopt it: `terraform import <address of this resource, shown above> %[1]s/%[2]s` (or an import block with that id), then apply again;\n"+
		"  - if another configuration manages it (a workspace that applied the same definition just before), apply again after %[3]s: "+
		"%[5]ss created more than %[4]s before an apply starts are not considered;\n"+
		"  - if it is an unwanted copy, delete it in the dashboard and apply again.",
		project, first.ID, latest.Add(unrecordedWindow).UTC().Format(time.RFC3339), unrecordedWindow, k.Name)
	return b.String()
}

// article is "a" or "an" before a word.
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}
