package tiledesk

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// TokenUserID reads the user id from a JWT's payload without verifying the
// token (the server does that): Tiledesk signs the user document, so the id
// is `_id` (`id` or `sub` in other shapes). It returns "" when the token is
// not a JWT or names no user. Use it only to recognise the user's own
// objects, never to authorise anything.
func TokenUserID(token string) string {
	parts := strings.Split(NormalizeToken(token), ".")
	if len(parts) != 3 {
		return ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var claims map[string]any
	if json.Unmarshal(raw, &claims) != nil {
		return ""
	}
	for _, k := range []string{"_id", "id", "sub"} {
		if s, ok := claims[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}
