package tiledesk

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// rawTag is an HTML tag as it appears in a body.
var rawTag = regexp.MustCompile(`<[^>]*>`)

// ErrorMessage never panics, returns valid UTF-8 of bounded length, and
// never shows the tags of an HTML body. `make test` runs the seeds (f.Add
// and testdata/fuzz/FuzzErrorMessage/); `make fuzz` explores.
func FuzzErrorMessage(f *testing.F) {
	for _, s := range [][2]string{
		{"text/html", nginx502},
		{"text/html; charset=utf-8", untitled},
		{"text/html", "<html><title><b>Bad</b> gateway</title></html>"},
		{"", "<!DOCTYPE html><pre>Cannot GET /x</pre>"},
		{"text/html", "<p>a < b > c</p>"},
		{"application/json", `{"success":false,"msg":"Object not found."}`},
		{"application/json", `{"error":{"message":"nested"}}`},
		{"application/json", `{"msg": "cut`},
		{"text/plain", "Unauthorized"},
		{"text/plain", "\xff\xfe invalid \xc3"},
		{"", strings.Repeat("é", 400)},
		{"", ""},
	} {
		f.Add(s[0], []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		got := ErrorMessage(contentType, body)
		if !utf8.ValidString(got) {
			t.Fatalf("ErrorMessage(%q, %q) = %q: not valid UTF-8", contentType, body, got)
		}
		if len(got) > maxMessage+len("…") {
			t.Fatalf("ErrorMessage(%q, %q) is %d bytes long", contentType, body, len(got))
		}
		text := strings.TrimSpace(string(body))
		isHTML := strings.Contains(strings.ToLower(contentType), "html") || strings.HasPrefix(text, "<")
		var fields map[string]json.RawMessage
		isJSONObject := json.Unmarshal(body, &fields) == nil && fields != nil
		// Entities such as &lt; may spell a tag in the text itself: only
		// bodies without them are checked.
		if isHTML && !isJSONObject && !strings.Contains(text, "&") && rawTag.MatchString(got) {
			t.Fatalf("ErrorMessage(%q, %q) = %q: shows HTML tags", contentType, body, got)
		}
	})
}
