package tiledesk

import (
	"encoding/base64"
	"slices"
	"strings"
)

// AuthProblem is what is wrong with a set of credentials.
type AuthProblem int

// The problems CheckAuth reports.
const (
	// AuthConflict: a token and email/password were both given.
	AuthConflict AuthProblem = iota + 1
	// AuthIncomplete: only one of email and password was given.
	AuthIncomplete
	// AuthMissing: neither a token nor email/password was given.
	AuthMissing
)

// AuthField names a credential setting of Config.
type AuthField string

// The credential settings an AuthError may name.
const (
	FieldToken    AuthField = "token"
	FieldEmail    AuthField = "email"
	FieldPassword AuthField = "password"
)

// AuthError says why credentials cannot be used, and which setting to fix.
type AuthError struct {
	Problem AuthProblem
	// Field is the setting to fix: the token for a conflict, the missing one
	// of email and password when incomplete, "" when nothing was given.
	Field AuthField
}

func (e *AuthError) Error() string {
	switch e.Problem {
	case AuthConflict:
		return "both a token and email/password were given: use exactly one authentication method"
	case AuthIncomplete:
		return "email/password authentication needs both an email and a password: the " + string(e.Field) + " is missing"
	default:
		return "no credentials: give a token, or an email and a password"
	}
}

// CheckAuth is the one rule of the credentials: exactly one authentication
// method, a token (with or without its "JWT " prefix) or an email together
// with a password. It returns nil or an *AuthError.
func CheckAuth(token, email, password string) error {
	hasToken := NormalizeToken(token) != ""
	switch {
	case hasToken && (email != "" || password != ""):
		return &AuthError{Problem: AuthConflict, Field: FieldToken}
	case hasToken, email != "" && password != "":
		return nil
	case email != "":
		return &AuthError{Problem: AuthIncomplete, Field: FieldPassword}
	case password != "":
		return &AuthError{Problem: AuthIncomplete, Field: FieldEmail}
	default:
		return &AuthError{Problem: AuthMissing}
	}
}

// authorization builds the Authorization header value for cfg.
func authorization(cfg Config) (string, error) {
	if err := CheckAuth(cfg.Token, cfg.Email, cfg.Password); err != nil {
		return "", err
	}
	if token := NormalizeToken(cfg.Token); token != "" {
		return "JWT " + token, nil
	}
	return "Basic " + encodeBasic(cfg.Email, cfg.Password), nil
}

// encodeBasic is the credential of HTTP Basic authentication.
func encodeBasic(email, password string) string {
	return base64.StdEncoding.EncodeToString([]byte(email + ":" + password))
}

// Secrets lists every form in which cfg's credentials may appear in text:
// as given, normalized, and as the Authorization header carries them. The
// client masks them in what it logs and returns; a Logger may mask them too.
func (cfg Config) Secrets() []string {
	var candidates []string
	if token := NormalizeToken(cfg.Token); token != "" {
		candidates = append(candidates, "JWT "+token, cfg.Token, token)
	}
	if cfg.Email != "" || cfg.Password != "" {
		b := encodeBasic(cfg.Email, cfg.Password)
		candidates = append(candidates, "Basic "+b, b)
	}
	candidates = append(candidates, cfg.Password)
	var out []string
	for _, s := range candidates {
		if strings.TrimSpace(s) != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// NormalizeToken trims white space and a leading "JWT " scheme, which
// tokens copied from the dashboard or sign-in already carry.
func NormalizeToken(token string) string {
	token = strings.TrimSpace(token)
	if strings.EqualFold(token, "JWT") {
		return ""
	}
	if len(token) > 4 && strings.EqualFold(token[:4], "JWT ") {
		token = strings.TrimSpace(token[4:])
	}
	return token
}
