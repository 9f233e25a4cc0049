package provider

import (
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

// apiErrorDiag turns a client error into a diagnostic that says what failed
// (summary), why (the server's status and message) and what to do next.
func apiErrorDiag(summary string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic(summary, err.Error()+"\n\n"+hint(err))
}

// objectErrorDiag is apiErrorDiag for a request about one type of object:
// a 403 names the role (and, where the server checks it, the right to the
// object) the type's routes need (tiledesk.Objects.Roles).
func objectErrorDiag(roles, summary string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic(summary, err.Error()+"\n\n"+objectHint(roles, err))
}

// objectHint is hint for a request about one type of object: a 403 names
// what the type's routes need.
func objectHint(roles string, err error) string {
	if tiledesk.Classify(err) == tiledesk.KindForbidden && roles != "" {
		return "The user is not a member of the project, or may not do this there: Tiledesk needs " + roles +
			". Check project_id, and the user's role in the project (a project owner can change it)."
	}
	return hint(err)
}

// hint says what to do next for an error, by the client's classification
// of it.
func hint(err error) string {
	switch tiledesk.Classify(err) {
	case tiledesk.KindTimeout:
		return fmt.Sprintf("The server did not answer within request_timeout (%s). It may be overloaded, or the request may never finish: "+
			"raise request_timeout in the provider block (or %s) and try again.", tiledesk.TimeoutOf(err), EnvRequestTimeout)
	case tiledesk.KindCanceled:
		return "The operation was cancelled or ran out of time before the server answered."
	case tiledesk.KindUnreachable:
		return "The Tiledesk API could not be reached. Check api_url (or " + EnvAPIURL + "), the network and the server, then run terraform again."
	case tiledesk.KindUnauthorized:
		return "The credentials were refused. Check the token (or " + EnvToken + ") or the email and password (" + EnvEmail + ", " + EnvPassword + "); " +
			"a token expires, so sign in again to get a fresh one."
	case tiledesk.KindForbidden:
		return "The user is not a member of the project, or has a role below agent. Check project_id, or ask a project owner to invite the user as agent or above."
	case tiledesk.KindBadRequest:
		return "The server refused the request. If it names the project, check project_id (or " + EnvProjectID + ") against the dashboard."
	case tiledesk.KindRateLimited:
		return "The API kept rate-limiting the provider after every retry. Wait, lower -parallelism, or raise max_retries."
	case tiledesk.KindServerError:
		return "The server failed. Retries were made where safe; wait and run terraform again. Persistent failures are worth reporting to the server's operator."
	case tiledesk.KindNotFound:
		return "Check the api_url: a self-hosted server serves the API at its root, the cloud under /v3."
	case tiledesk.KindKeyTaken:
		return "Tiledesk keeps one object per key in a project, and the error names the one that has it. Choose another key, " +
			"or delete that object, or import it to manage it here (and remove it from the configuration that has it), then apply again."
	default:
		return "Run terraform again with TF_LOG_PROVIDER=DEBUG to see each request and answer."
	}
}

// authAttributes are the provider attributes of the client's credential
// settings.
var authAttributes = map[tiledesk.AuthField]string{
	tiledesk.FieldToken: "token", tiledesk.FieldEmail: "email", tiledesk.FieldPassword: "password",
}

// authDiag maps the client's verdict on the credentials (tiledesk.CheckAuth)
// to an error on the attribute to fix.
func authDiag(err error) diag.Diagnostic {
	var ae *tiledesk.AuthError
	if !errors.As(err, &ae) {
		return diag.NewErrorDiagnostic("Invalid Tiledesk provider configuration", err.Error()+". "+authHelp)
	}
	attr := authAttributes[ae.Field]
	switch ae.Problem {
	case tiledesk.AuthConflict:
		return diag.NewAttributeErrorDiagnostic(path.Root(attr), "Conflicting authentication methods", "Both a token and email/password were given. "+authHelp)
	case tiledesk.AuthIncomplete:
		return diag.NewAttributeErrorDiagnostic(path.Root(attr), "Incomplete email/password authentication",
			"Email/password authentication needs both `email` and `password`: `"+attr+"` is missing. "+authHelp)
	default:
		return diag.NewErrorDiagnostic("Missing Tiledesk credentials", "No token and no email/password were given. "+authHelp)
	}
}
