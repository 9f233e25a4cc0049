package tiledesk

import (
	"context"
	"strings"
)

// Logger receives the client's structured log lines. The provider adapts it
// to tflog; the client itself stays free of Terraform imports. Fields never
// hold the Authorization header, and bodies pass through a redactor that
// removes the configured secrets.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Trace(ctx context.Context, msg string, fields map[string]any)
}

type nopLogger struct{}

func (nopLogger) Debug(context.Context, string, map[string]any) {}
func (nopLogger) Trace(context.Context, string, map[string]any) {}

// newRedactor replaces every non-empty secret with a mask.
func newRedactor(secrets ...string) *strings.Replacer {
	var pairs []string
	for _, s := range secrets {
		if strings.TrimSpace(s) != "" {
			pairs = append(pairs, s, "***")
		}
	}
	return strings.NewReplacer(pairs...)
}
