package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

// apiErrorDiag turns a client error into a diagnostic that says what failed
// (summary), why (the server's status and message) and what to do next.
func apiErrorDiag(summary string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic(summary, err.Error()+"\n\n"+hint(err))
}

// hint says what to do next for an error.
func hint(err error) string {
	var rerr *tiledesk.RequestError
	if errors.As(err, &rerr) {
		switch {
		case rerr.Timeout > 0:
			return fmt.Sprintf("The server did not answer within request_timeout (%s). It may be overloaded, or the request may never finish: "+
				"raise request_timeout in the provider block (or %s) and try again.", rerr.Timeout, EnvRequestTimeout)
		case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
			return "The operation was cancelled or ran out of time before the server answered."
		default:
			return "The Tiledesk API could not be reached. Check api_url (or " + EnvAPIURL + "), the network and the server, then run terraform again."
		}
	}
	switch code := tiledesk.StatusCode(err); {
	case code == http.StatusUnauthorized:
		return "The credentials were refused. Check the token (or " + EnvToken + ") or the email and password (" + EnvEmail + ", " + EnvPassword + "); " +
			"a token expires, so sign in again to get a fresh one."
	case code == http.StatusForbidden:
		return "The user is not a member of the project, or has a role below agent. Check project_id, or ask a project owner to invite the user as agent or above."
	case code == http.StatusBadRequest:
		return "The server refused the request. If it names the project, check project_id (or " + EnvProjectID + ") against the dashboard."
	case code == http.StatusTooManyRequests:
		return "The API kept rate-limiting the provider after every retry. Wait, lower -parallelism, or raise max_retries."
	case code >= 500:
		return "The server failed. Retries were made where safe; wait and run terraform again. Persistent failures are worth reporting to the server's operator."
	case code == http.StatusNotFound:
		return "Check the api_url: a self-hosted server serves the API at its root, the cloud under /v3."
	default:
		return "Run terraform again with TF_LOG_PROVIDER=DEBUG to see each request and answer."
	}
}
