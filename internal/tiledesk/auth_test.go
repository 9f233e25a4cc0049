package tiledesk

import (
	"errors"
	"slices"
	"testing"
)

// CheckAuth is the one rule of the credentials, and names the setting to fix.
func TestCheckAuth(t *testing.T) {
	tests := []struct {
		name                   string
		token, email, password string
		problem                AuthProblem
		field                  AuthField
	}{
		{"token", "t", "", "", 0, ""},
		{"token with scheme", "JWT t", "", "", 0, ""},
		{"basic", "", "a@b.c", "p", 0, ""},
		{"both", "t", "a@b.c", "p", AuthConflict, FieldToken},
		{"token and email", "t", "a@b.c", "", AuthConflict, FieldToken},
		{"email only", "", "a@b.c", "", AuthIncomplete, FieldPassword},
		{"password only", "", "", "p", AuthIncomplete, FieldEmail},
		{"blank token and password", " JWT ", "", "p", AuthIncomplete, FieldEmail},
		{"nothing", "", "", "", AuthMissing, ""},
		{"blank token", "  \t", "", "", AuthMissing, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckAuth(tt.token, tt.email, tt.password)
			if tt.problem == 0 {
				if err != nil {
					t.Fatalf("CheckAuth = %v, want nil", err)
				}
				return
			}
			var ae *AuthError
			if !errors.As(err, &ae) || ae.Problem != tt.problem || ae.Field != tt.field {
				t.Errorf("CheckAuth = %#v, want problem %d on %q", err, tt.problem, tt.field)
			}
		})
	}
}

// Secrets lists every form of the credentials the client sends.
func TestConfigSecrets(t *testing.T) {
	jwt := Config{Token: " JWT abc "}
	if got, want := jwt.Secrets(), []string{"JWT abc", " JWT abc ", "abc"}; !slices.Equal(got, want) {
		t.Errorf("token secrets = %q, want %q", got, want)
	}
	basic := Config{Email: "a@b.c", Password: "pw"}
	b := encodeBasic("a@b.c", "pw")
	if got, want := basic.Secrets(), []string{"Basic " + b, b, "pw"}; !slices.Equal(got, want) {
		t.Errorf("basic secrets = %q, want %q", got, want)
	}
	if got := (Config{}).Secrets(); len(got) != 0 {
		t.Errorf("no credentials, secrets %q", got)
	}
}
