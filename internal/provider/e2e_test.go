package provider

// End-to-end harness: the real terraform binary runs the provider built from
// this module (dev_overrides, no registry) against the local Tiledesk API
// served from the test process, or a real server (TILEDESK_ACC_LIVE), through
// a proxy of the test's own, so that tests can inject faults, count
// requests, take the server down and bring it back, send signals to
// terraform and choose -parallelism, which terraform-plugin-testing cannot.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/devenv"
	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// providerBuild is the provider binary shared by every e2e test of a run,
// built in dir on first use.
var providerBuild struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tiledesk-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	providerBuild.dir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// providerBinDir builds the provider once per test run, without -race (a
// race build takes minutes and is not what users run), and returns the
// folder that holds terraform-provider-tiledesk.
func providerBinDir(t *testing.T) string {
	t.Helper()
	providerBuild.once.Do(func() {
		cmd := exec.Command("go", "build", "-o", filepath.Join(providerBuild.dir, "terraform-provider-tiledesk"), "github.com/tiledesk/terraform-provider-tiledesk")
		if out, err := cmd.CombinedOutput(); err != nil {
			providerBuild.err = fmt.Errorf("go build of the provider: %w\n%s", err, out)
		}
	})
	if providerBuild.err != nil {
		t.Fatal(providerBuild.err)
	}
	return providerBuild.dir
}

// terraformBinary is the binary the acceptance tests use: TF_ACC_TERRAFORM_PATH,
// else terraform or tofu on PATH. e2e tests run only where acceptance tests
// run (TF_ACC).
func terraformBinary(t *testing.T) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("e2e test: set TF_ACC=1 to run it (it runs the terraform binary)")
	}
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"terraform", "tofu"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("e2e test: no terraform binary: set TF_ACC_TERRAFORM_PATH or put terraform on PATH")
	return ""
}

// terraformAtLeast reports whether the terraform (or tofu) binary bin is at
// least version major.minor, for features newer than Terraform 1.0.
func terraformAtLeast(t *testing.T, bin string, major, minor int) bool {
	t.Helper()
	out, err := exec.Command(bin, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version -json: %v", bin, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v", bin, err)
	}
	var gotMajor, gotMinor int
	if _, err := fmt.Sscanf(v.Version, "%d.%d", &gotMajor, &gotMinor); err != nil {
		t.Fatalf("%s version %q: %v", bin, v.Version, err)
	}
	return gotMajor > major || (gotMajor == major && gotMinor >= minor)
}

// e2eAPI is the Tiledesk of an e2e test: the local API (a fresh one per
// test) or the real server, behind a proxy of the test's own
// (tiledesktest.Proxy: counts, faults) served on a loopback port that it
// can close and reopen on the same address, with an optional hook in front.
type e2eAPI struct {
	*liveTarget
	t        *testing.T
	proxy    *tiledesktest.Proxy
	addr     string
	url      string
	requests atomic.Int64 // every HTTP request, authenticated or not

	mu   sync.Mutex
	hook func(w http.ResponseWriter, r *http.Request) bool // true: answered
	srv  *http.Server
	ln   net.Listener
}

// startTestAPI starts the local API, or uses the real server when
// TILEDESK_ACC_LIVE is set (in a project of the test's own).
func startTestAPI(t *testing.T) *e2eAPI {
	t.Helper()
	lt := newLiveTarget(t)
	proxy, err := tiledesktest.NewProxy(lt.apiURL)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(lt.apiURL)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	api := &e2eAPI{liveTarget: lt, t: t, proxy: proxy, addr: ln.Addr().String()}
	api.url = "http://" + api.addr + strings.TrimSuffix(u.Path, "/")
	api.serve(ln)
	t.Cleanup(func() {
		api.proxy.Close() // releases hanging requests first
		api.mu.Lock()
		defer api.mu.Unlock()
		_ = api.srv.Close()
	})
	return api
}

func (a *e2eAPI) serve(ln net.Listener) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ln, a.srv = ln, &http.Server{Handler: a, ReadHeaderTimeout: 10 * time.Second}
	go func(srv *http.Server) { _ = srv.Serve(ln) }(a.srv)
}

func (a *e2eAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.requests.Add(1)
	a.mu.Lock()
	hook := a.hook
	a.mu.Unlock()
	if hook != nil && hook(w, r) {
		return
	}
	a.forward(w, r)
}

// forward hands a request to the proxy (counts, faults, then the API).
func (a *e2eAPI) forward(w http.ResponseWriter, r *http.Request) { a.proxy.ServeHTTP(w, r) }

// setHook puts h in front of the proxy (nil removes it).
func (a *e2eAPI) setHook(h func(w http.ResponseWriter, r *http.Request) bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.hook = h
}

// goDown stops accepting connections and closes the idle ones: from now on
// the provider meets "connection refused". Requests in progress finish, on
// connections closed after their answer.
func (a *e2eAPI) goDown() {
	a.mu.Lock()
	defer a.mu.Unlock()
	_ = a.ln.Close()
	a.srv.SetKeepAlivesEnabled(false)
}

// restart serves the same API again on the same address.
func (a *e2eAPI) restart(t *testing.T) {
	t.Helper()
	a.mu.Lock()
	_ = a.srv.Close()
	a.mu.Unlock()
	ln, err := net.Listen("tcp", a.addr)
	if err != nil {
		t.Fatalf("listening again on %s: %v", a.addr, err)
	}
	a.serve(ln)
}

// liveIDs are the ids of the live segments of the test's project.
func (a *e2eAPI) liveIDs() []string { return a.liveIDsOf(segmentKind) }

// liveIDsOf are the ids of the live objects of a kind in the test's project,
// but those the project was made with.
func (a *e2eAPI) liveIDsOf(k objectKind) []string {
	var ids []string
	for _, d := range a.backend.Live(a.t, k.entity, a.project) {
		if k.madeWithProject == nil || !k.madeWithProject(d) {
			ids = append(ids, fmt.Sprint(d["_id"]))
		}
	}
	slices.Sort(ids)
	return ids
}

// isCreate reports a POST of an object (a create route of any kind).
func isCreate(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	for _, k := range append([]objectKind{segmentKind}, objectKinds...) {
		if strings.HasSuffix(strings.TrimSuffix(r.URL.Path, "/"), "/"+k.entity.name) {
			return true
		}
	}
	return false
}

// readBody reads r's body to its end and puts it back for the fake.
func readBody(r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
}

// tfDir is a working directory for the terraform binary.
type tfDir struct {
	t   *testing.T
	bin string
	dir string
	env []string
}

// apiEnv is the environment that points the provider at api, as a CI
// pipeline does it (no secret in the configuration).
func apiEnv(api *e2eAPI) map[string]string {
	return map[string]string{
		EnvAPIURL:    api.url,
		EnvProjectID: api.project,
		EnvToken:     api.token,
	}
}

// newTFDir prepares a working directory whose terraform uses the provider
// built from this module; env is added to a clean environment (no TF_* nor
// TILEDESK_* variable of the caller's).
func newTFDir(t *testing.T, env map[string]string) *tfDir {
	t.Helper()
	bin := terraformBinary(t)
	plugins := providerBinDir(t)
	dir := t.TempDir()
	rc := filepath.Join(dir, "dev.tfrc")
	writeFile(t, rc, devenv.CLIConfig(plugins))
	var clean []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_") && !strings.HasPrefix(kv, "TILEDESK_") && !strings.HasPrefix(kv, "CHECKPOINT_") {
			clean = append(clean, kv)
		}
	}
	clean = append(clean, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0", "TF_CLI_CONFIG_FILE="+rc)
	for k, v := range env {
		clean = append(clean, k+"="+v)
	}
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o700); err != nil {
		t.Fatal(err)
	}
	d := &tfDir{t: t, bin: bin, dir: work, env: clean}
	d.write("versions.tf", `terraform {
  required_providers {
    tiledesk = { source = "tiledesk/tiledesk" }
  }
}
`)
	return d
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// write writes a file of the working directory; "" removes it.
func (d *tfDir) write(name, content string) {
	d.t.Helper()
	if content == "" {
		_ = os.Remove(filepath.Join(d.dir, name))
		return
	}
	writeFile(d.t, filepath.Join(d.dir, name), content)
}

// tfResult is one terraform run.
type tfResult struct {
	args           []string
	stdout, stderr string
	code           int
	elapsed        time.Duration
}

func (r tfResult) output() string { return r.stdout + r.stderr }

func (r tfResult) String() string {
	return fmt.Sprintf("terraform %s: exit %d after %s\n--- stdout\n%s\n--- stderr\n%s",
		strings.Join(r.args, " "), r.code, r.elapsed.Round(time.Millisecond), r.stdout, r.stderr)
}

// commandTimeout bounds every terraform run: a hung terraform fails the test
// instead of the whole suite.
const commandTimeout = 3 * time.Minute

// command prepares terraform with args, bounded by ctx; extra overrides
// environment variables for this run only.
func (d *tfDir) command(ctx context.Context, extra map[string]string, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	if slices.Contains([]string{"plan", "apply", "destroy", "import", "show", "validate"}, args[0]) {
		args = append([]string{args[0], "-no-color"}, args[1:]...)
	}
	cmd := exec.CommandContext(ctx, d.bin, args...)
	cmd.Dir = d.dir
	cmd.Env = slices.Clone(d.env)
	for k, v := range extra {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.WaitDelay = 10 * time.Second // pipes held by a stray provider process
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	return cmd, &stdout, &stderr
}

// runEnv runs terraform with extra environment variables and returns what
// it did, whatever its exit code.
func (d *tfDir) runEnv(extra map[string]string, args ...string) tfResult {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(d.t.Context(), commandTimeout)
	defer cancel()
	cmd, stdout, stderr := d.command(ctx, extra, args...)
	start := time.Now()
	err := cmd.Run()
	res := tfResult{args: args, stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start)}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		res.code = exit.ExitCode()
	case err != nil:
		d.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, res)
	}
	if ctx.Err() != nil {
		d.t.Fatalf("terraform did not finish within %s:\n%s", commandTimeout, res)
	}
	return res
}

func (d *tfDir) run(args ...string) tfResult {
	d.t.Helper()
	return d.runEnv(nil, args...)
}

// expect runs terraform and fails the test unless it exits with code.
func (d *tfDir) expect(code int, args ...string) tfResult {
	d.t.Helper()
	res := d.run(args...)
	if res.code != code {
		d.t.Fatalf("want exit code %d:\n%s", code, res)
	}
	return res
}

// apply runs a successful apply with the given extra flags.
func (d *tfDir) apply(flags ...string) tfResult {
	d.t.Helper()
	return d.expect(0, append([]string{"apply", "-auto-approve"}, flags...)...)
}

// expectEmptyPlan checks that a plan finds nothing to do.
func (d *tfDir) expectEmptyPlan() {
	d.t.Helper()
	d.expect(0, "plan", "-detailed-exitcode")
}

// stateIDs returns the ids of the tiledesk_segment instances in the state.
func (d *tfDir) stateIDs() []string { return d.stateIDsOf("tiledesk_segment") }

// stateIDsOf returns the ids of a resource type's instances in the state,
// as terraform show -json reports them.
func (d *tfDir) stateIDsOf(resourceType string) []string {
	d.t.Helper()
	return d.stateIDsWhere(resourceType, func(stateInstance) bool { return true })
}

// taintedIDsOf returns the ids of a resource type's tainted instances: the
// ones an apply left with an error, which the next apply replaces.
func (d *tfDir) taintedIDsOf(resourceType string) []string {
	d.t.Helper()
	return d.stateIDsWhere(resourceType, func(r stateInstance) bool { return r.Tainted })
}

// stateInstance is a resource instance as terraform show -json reports it.
type stateInstance struct {
	Type    string         `json:"type"`
	Tainted bool           `json:"tainted"`
	Values  map[string]any `json:"values"`
}

// stateIDsWhere returns the sorted ids of a resource type's instances that
// keep accepts.
func (d *tfDir) stateIDsWhere(resourceType string, keep func(stateInstance) bool) []string {
	d.t.Helper()
	res := d.expect(0, "show", "-json")
	var state struct {
		Values struct {
			RootModule struct {
				Resources []stateInstance `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &state); err != nil {
		d.t.Fatalf("terraform show -json: %v\n%s", err, res.stdout)
	}
	var ids []string
	for _, r := range state.Values.RootModule.Resources {
		if r.Type == resourceType && keep(r) {
			ids = append(ids, fmt.Sprint(r.Values["id"]))
		}
	}
	slices.Sort(ids)
	return ids
}

// segmentsConfig is a provider block with settings (HCL lines; api_url,
// project and credentials come from the environment) and n segments with
// distinct definitions.
func segmentsConfig(n int, settings ...string) string {
	return fmt.Sprintf(`provider "tiledesk" {
  %s
}

resource "tiledesk_segment" "s" {
  count = %d
  name  = "Segment ${count.index}"
  filters = [
    { field = "attributes.rank", operator = "=", value = "${count.index}", value_type = "number" },
    { field = "email", operator = "contains", value = "@example.it" },
  ]
}
`, strings.Join(settings, "\n  "), n)
}

// checkConverged checks that the state and the server hold the same n
// segments, and that no segment was ever created twice (deleted copies
// count too: the proxy saw every create the API answered).
func checkConverged(t *testing.T, d *tfDir, api *e2eAPI, n int) {
	t.Helper()
	checkConvergedOf(t, d, api, segmentKind, n)
}

// checkConvergedOf is checkConverged for the objects of a kind.
func checkConvergedOf(t *testing.T, d *tfDir, api *e2eAPI, k objectKind, n int) {
	t.Helper()
	live := api.liveIDsOf(k)
	if len(live) != n {
		t.Fatalf("%d live %s, want %d", len(live), k.plural, n)
	}
	if created := api.proxy.Created(k.entity.name); len(created) != n {
		t.Errorf("%d %s were ever created, want %d: duplicates were made", len(created), k.plural, n)
	}
	if api.fake != nil {
		if all := api.fake.Docs(k.entity.name, api.project, true); len(all) != n+k.preexisting {
			t.Errorf("the local API holds %d %s, deleted ones included, want %d: duplicates were made", len(all), k.plural, n+k.preexisting)
		}
	}
	if ids := d.stateIDsOf(k.resourceType()); !slices.Equal(ids, live) {
		t.Errorf("the state holds %d %s %v, the server %d %v", len(ids), k.plural, ids, len(live), live)
	}
}
