package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// localAPI is a running tiledesk-local-api process and its admin surface.
type localAPI struct {
	cmd  *exec.Cmd
	url  string // API base URL, which is also the root of /__fake/
	http *http.Client
}

// startLocalAPI starts the local API on a free loopback port, without
// request logs, and waits for it to write its URL.
func startLocalAPI(ctx context.Context, bin, work string) (*localAPI, error) {
	urlFile := filepath.Join(work, "api-url")
	cmd := exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0", "-url-file", urlFile, "-quiet")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the local API: %w", err)
	}
	a := &localAPI{cmd: cmd, http: &http.Client{Timeout: 10 * time.Second}}
	for range 100 {
		if b, err := os.ReadFile(urlFile); err == nil && len(b) > 0 {
			a.url = strings.TrimRight(strings.TrimSpace(string(b)), "/")
			return a, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	a.stop()
	return nil, fmt.Errorf("the local API (%s) wrote no URL within 5 s", bin)
}

func (a *localAPI) stop() {
	_ = a.cmd.Process.Signal(os.Interrupt)
	_ = a.cmd.Wait()
}

// admin sends one request to the /__fake/ surface; out, when not nil,
// receives the JSON answer.
func (a *localAPI) admin(method, path, body string, out any) error {
	req, err := http.NewRequest(method, a.url+"/__fake/"+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		return fmt.Errorf("local API %s %s: %w", method, path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("local API %s %s: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("local API %s %s: %s: %s", method, path, resp.Status, raw)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

func (a *localAPI) resetCounts() error { return a.admin(http.MethodPost, "reset-counts", "", nil) }

func (a *localAPI) counts() (counts, error) {
	var c counts
	return c, a.admin(http.MethodGet, "counts", "", &c)
}

// cpu is the CPU time the local API has used so far; -1 when unknown.
func (a *localAPI) cpu() time.Duration { return processCPU(a.cmd.Process.Pid) }

func (a *localAPI) setLatency(d time.Duration) error {
	return a.admin(http.MethodPost, "latency", fmt.Sprintf(`{"latency":%q}`, d.String()), nil)
}
