// Command tiledesk-local-api serves the in-memory Tiledesk API imitation
// (package tiledesktest) on a loopback address, for `make demo`, shell
// scripts and benchmarks. The test hooks are served under /__fake/.
//
// Usage:
//
//	tiledesk-local-api [-addr 127.0.0.1:0] [-base-path /v3] [-url-file FILE] [-latency 20ms] [-quiet]
//	                   [-token T] [-email E] [-password P] [-projects id,id] [-env-file FILE]
//
// It prints "tiledesk-local-api listening on http://HOST:PORT" once
// listening, writes the provider's settings for it (TILEDESK_API_URL,
// TILEDESK_PROJECT_ID, TILEDESK_TOKEN) to -env-file as shell export lines,
// then the API base URL (with the base path) to -url-file, logs
// one line per request to stderr unless -quiet, and stops on SIGINT/SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/devenv"
	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "tiledesk-local-api:", err)
		os.Exit(1)
	}
}

// config is the parsed command line.
type config struct {
	addr, basePath, urlFile string
	envFile                 string
	latency                 time.Duration
	quiet                   bool
	user                    tiledesktest.User
	projects                []string // nil = the defaults
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	def := tiledesktest.DefaultUser()
	c := config{user: def}
	fs := flag.NewFlagSet("tiledesk-local-api", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:0", "loopback `host:port` to listen on")
	fs.StringVar(&c.basePath, "base-path", "", "serve the API under this `prefix`, e.g. /v3 (default: the root)")
	fs.StringVar(&c.urlFile, "url-file", "", "write the API base URL to this `file` once listening")
	fs.StringVar(&c.envFile, "env-file", "", "write the provider's TILEDESK_* settings for this API to this `file` (shell export lines) once listening, before -url-file")
	fs.DurationVar(&c.latency, "latency", 0, "added before every API answer")
	fs.BoolVar(&c.quiet, "quiet", false, "do not log requests")
	fs.StringVar(&c.user.Token, "token", def.Token, "the user's JWT, without the \"JWT \" scheme")
	fs.StringVar(&c.user.Email, "email", def.Email, "the user's e-mail")
	fs.StringVar(&c.user.Password, "password", def.Password, "the user's password")
	projects := fs.String("projects", "", "comma-separated project ids (default: the four built-in projects)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	for p := range strings.SplitSeq(*projects, ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.projects = append(c.projects, p)
		}
	}
	// Built-in projects keep their built-in role (none for the foreign one);
	// the user owns every other listed project.
	for _, p := range c.projects {
		if !isBuiltIn(p) {
			c.user.Roles[p] = "owner"
		}
	}
	return c, nil
}

// project is the project the settings name: the default one unless
// -projects leaves it out, then the first listed.
func (c config) project() string {
	if len(c.projects) == 0 || slices.ContainsFunc(c.projects, func(p string) bool { return strings.EqualFold(p, tiledesktest.ProjectID) }) {
		return tiledesktest.ProjectID
	}
	return c.projects[0]
}

func isBuiltIn(p string) bool {
	switch strings.ToLower(p) {
	case tiledesktest.ProjectID, tiledesktest.OtherProjectID, tiledesktest.ForeignProjectID, tiledesktest.GuestProjectID:
		return true
	}
	return false
}

// checkLoopback refuses any listen address that is not a loopback one.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid -addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("refusing to listen on %q: only loopback addresses (127.0.0.1, ::1, localhost) are allowed", addr)
	}
	return nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if err := checkLoopback(c.addr); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() { // "localhost" resolved elsewhere
		_ = ln.Close()
		return fmt.Errorf("refusing to listen on %s: not a loopback address", ln.Addr())
	}
	fake := tiledesktest.New(tiledesktest.Options{
		BasePath: c.basePath, Latency: c.latency, Users: []tiledesktest.User{c.user}, Projects: c.projects,
	})
	root := "http://" + ln.Addr().String()
	if c.envFile != "" {
		env := devenv.Env(root+fake.BasePath(), c.project(), c.user.Token)
		if err := writeFileAtomic(c.envFile, devenv.ShellExports(env)); err != nil {
			_ = ln.Close()
			return err
		}
	}
	if c.urlFile != "" {
		if err := writeFileAtomic(c.urlFile, root+fake.BasePath()+"\n"); err != nil {
			_ = ln.Close()
			return err
		}
	}
	var h http.Handler = fake
	if !c.quiet {
		h = logRequests(fake, stderr)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	_, _ = fmt.Fprintln(stdout, "tiledesk-local-api listening on "+root)

	select {
	case err := <-served:
		fake.Close()
		return err
	case <-ctx.Done():
	}
	fake.Close() // unblock hanging requests, then drain the others
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// writeFileAtomic writes through a temporary file and a rename, so a
// script polling for the file never reads it half written.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".url-file-*")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // gone after the rename
	if _, err := tmp.WriteString(content); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// statusRecorder remembers the status for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (hijack).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// logRequests logs method, path, status and duration; never headers.
func logRequests(next http.Handler, w io.Writer) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: rw}
		defer func() {
			status := fmt.Sprint(rec.status)
			if rec.status == 0 {
				status = "dropped"
			}
			_, _ = fmt.Fprintf(w, "%s %s %s %s\n", r.Method, r.URL.Path, status, time.Since(start).Round(time.Microsecond))
		}()
		next.ServeHTTP(rec, r)
	})
}
