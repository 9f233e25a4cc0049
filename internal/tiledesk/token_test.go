package tiledesk

import (
	"encoding/base64"
	"testing"
)

func TestTokenUserID(t *testing.T) {
	jwt := func(payload string) string {
		return "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".c2ln"
	}
	tests := []struct{ token, want string }{
		{jwt(`{"_id":"6750c0ffee00000000005678","email":"a@b.c"}`), "6750c0ffee00000000005678"},
		{"JWT " + jwt(`{"_id":"6750c0ffee00000000005678"}`), "6750c0ffee00000000005678"},
		{jwt(`{"sub":"u1"}`), "u1"},
		{jwt(`{"email":"a@b.c"}`), ""},
		{jwt(`not json`), ""},
		{"eyJhbGciOiJIUzI1NiJ9.fake-test-token", ""},
		{"opaque", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := TokenUserID(tt.token); got != tt.want {
			t.Errorf("TokenUserID(%q) = %q, want %q", tt.token, got, tt.want)
		}
	}
}
