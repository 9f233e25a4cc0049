package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

func TestCheckLoopback(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:0", true},
		{"127.0.0.2:8080", true},
		{"[::1]:0", true},
		{"localhost:3000", true},
		{":8080", false},
		{"0.0.0.0:0", false},
		{"[::]:0", false},
		{"192.168.1.10:80", false},
		{"example.com:80", false},
		{"127.0.0.1", false}, // no port
	}
	for _, tt := range tests {
		if err := checkLoopback(tt.addr); (err == nil) != tt.ok {
			t.Errorf("checkLoopback(%q) = %v, want ok %v", tt.addr, err, tt.ok)
		}
	}
	if err := run(t.Context(), []string{"-addr", "0.0.0.0:0"}, io.Discard, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "loopback") {
		t.Fatalf("run on 0.0.0.0 = %v, want a refusal", err)
	}
}

func TestRunServesUntilCancelled(t *testing.T) {
	urlFile := filepath.Join(t.TempDir(), "url")
	ctx, cancel := context.WithCancel(t.Context())
	var stdout bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-base-path", "/v3", "-url-file", urlFile, "-quiet",
			"-projects", tiledesktest.ProjectID + ",6750c0ffee00000000000b01"}, &stdout, io.Discard)
	}()
	var base string
	for deadline := time.Now().Add(5 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		b, _ := os.ReadFile(filepath.Clean(urlFile))
		base = strings.TrimSpace(string(b))
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/v3") {
		t.Fatalf("url file = %q", base)
	}
	for _, project := range []string{tiledesktest.ProjectID, "6750c0ffee00000000000b01"} {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/"+project+"/segments", nil)
		req.Header.Set("Authorization", "JWT "+tiledesktest.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s segments: %d", project, resp.StatusCode)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not stop")
	}
	want := "tiledesk-local-api listening on " + strings.TrimSuffix(base, "/v3") + "\n"
	if stdout.String() != want {
		t.Fatalf("stdout = %q, want %q", stdout.String(), want)
	}
}

// -env-file names the API, its project and its user's token, as shell export
// lines, and is written before -url-file (which scripts wait for).
func TestRunWritesEnvFile(t *testing.T) {
	dir := t.TempDir()
	urlFile, envFile := filepath.Join(dir, "url"), filepath.Join(dir, "env")
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-base-path", "v3/", "-url-file", urlFile, "-env-file", envFile, "-quiet",
			"-token", "tok", "-projects", "6750c0ffee00000000000b01"}, io.Discard, io.Discard)
	}()
	var base string
	for deadline := time.Now().Add(5 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		b, _ := os.ReadFile(filepath.Clean(urlFile))
		base = strings.TrimSpace(string(b))
	}
	env, err := os.ReadFile(filepath.Clean(envFile))
	if err != nil {
		t.Fatal(err)
	}
	want := "export TILEDESK_API_URL='" + base + "'\nexport TILEDESK_PROJECT_ID='6750c0ffee00000000000b01'\nexport TILEDESK_TOKEN='tok'\n"
	if base == "" || string(env) != want {
		t.Errorf("env file = %q, want %q", env, want)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run = %v", err)
	}
}
