package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/devenv"
)

// The two configurations compared; terraform_data needs no provider and no
// terraform init. Its input is the segment's name only: an object input like
// the segment's filters makes terraform_data itself 3 to 4 times slower
// (apply 10 s instead of 2.9 s, destroy 24 s instead of 5.5 s at N=500 here),
// Terraform's cost for dynamic values, which would flatter the provider.
const (
	segmentConfig = `terraform {
  required_providers {
    tiledesk = { source = "tiledesk/tiledesk" }
  }
}

resource "tiledesk_segment" "bench" {
  count = %d
  name  = "bench-${count.index}"
  filters = [
    { field = "email", operator = "contains", value = "@example.it" },
    { field = "attributes.orders", operator = ">=", value = "3", value_type = "number" },
  ]
}
`
	floorConfig = `resource "terraform_data" "bench" {
  count = %d
  input = "bench-${count.index}"
}
`
)

// phase is a measured terraform command.
type phase struct {
	name    string
	args    []string
	latency bool // with opts.latency added to every API answer
}

var (
	applyPhase       = phase{name: "apply", args: []string{"apply", "-auto-approve"}}
	planPhase        = phase{name: "no-op plan", args: []string{"plan", "-detailed-exitcode"}} // refreshes; exits 2 if anything would change
	latencyPlanPhase = phase{name: "no-op plan, API latency", args: planPhase.args, latency: true}
	destroyPhase     = phase{name: "destroy", args: []string{"destroy", "-auto-approve"}}
	// The destroy with latency needs segments to destroy: a second apply,
	// without latency, makes them.
	reapplyPhase        = phase{name: "apply again", args: applyPhase.args}
	latencyDestroyPhase = phase{name: "destroy, API latency", args: destroyPhase.args, latency: true}
	// The second pass, the no-op plan with latency, runs on the state of the
	// first: terraform_data makes no API request, so it has no second pass.
	segmentPhases = []phase{applyPhase, planPhase, latencyPlanPhase, destroyPhase, reapplyPhase, latencyDestroyPhase}
	floorPhases   = []phase{applyPhase, planPhase, destroyPhase}
	// -parallelism=10 is the default, spelt out.
	commonArgs = []string{"-input=false", "-no-color", "-parallelism=10"}
)

// sample is one measured terraform command.
type sample struct {
	wall     time.Duration
	cpu      time.Duration // user+sys of terraform and the providers it waited for
	provider providerUsage
	api      counts
	connects int64         // TCP connections opened on the machine meanwhile; -1 unknown
	apiCPU   time.Duration // the local API's CPU time meanwhile; it shares the machine
}

// series holds the runs of one phase at one N, provider and floor (none for
// the phases with latency and reapplyPhase).
type series struct {
	n               int
	phase           string
	provider, floor []sample
}

type bench struct {
	opts         options
	provider     string // absolute path
	api          *localAPI
	env          []string // terraform's environment
	usageLog     string
	segDir       string
	floorDir     string
	progress     io.Writer
	providersDir string // the dev_overrides folder
}

func newBench(o options, api *localAPI, work string, progress io.Writer) (*bench, error) {
	if _, err := exec.LookPath("terraform"); err != nil {
		return nil, errors.New("terraform is not on PATH")
	}
	provider, err := filepath.Abs(o.provider)
	if err != nil {
		return nil, err
	}
	wrapper, err := filepath.Abs(o.wrapper)
	if err != nil {
		return nil, err
	}
	b := &bench{
		opts: o, provider: provider, api: api, progress: progress,
		usageLog:     filepath.Join(work, "provider-usage.log"),
		segDir:       filepath.Join(work, "tiledesk_segment"),
		floorDir:     filepath.Join(work, "terraform_data"),
		providersDir: filepath.Join(work, "providers"),
	}
	for _, d := range []string{b.segDir, b.floorDir, b.providersDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	// The dev_overrides folder holds rsswrap as the provider: see wrapper.go.
	if err := os.Symlink(wrapper, filepath.Join(b.providersDir, "terraform-provider-tiledesk")); err != nil {
		return nil, err
	}
	cliConfig := filepath.Join(work, "dev.tfrc")
	if err := devenv.WriteCLIConfig(cliConfig, b.providersDir); err != nil {
		return nil, err
	}
	b.env = append(withoutPrefix(os.Environ(), "TILEDESK_", "TF_CLI_CONFIG_FILE=", "CHECKPOINT_DISABLE=", "TF_IN_AUTOMATION="),
		"TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		envWrapProgram+"="+provider, envWrapLog+"="+b.usageLog)
	b.env = append(b.env, devenv.LocalAPIEnv(api.url)...)
	return b, nil
}

// withoutPrefix drops the environment entries that start with any prefix.
func withoutPrefix(env []string, prefixes ...string) []string {
	var out []string
	for _, kv := range env {
		keep := true
		for _, p := range prefixes {
			keep = keep && !strings.HasPrefix(kv, p)
		}
		if keep {
			out = append(out, kv)
		}
	}
	return out
}

// startup times opts.starts start-ups of the provider, directly and through
// the wrapper (whose cost is then visible).
func (b *bench) startup(ctx context.Context) (startupResult, error) {
	var r startupResult
	env := append(withoutPrefix(b.env, envWrapProgram, envWrapLog), "TMPDIR="+b.providersDir)
	wrapped := append(withoutPrefix(b.env, envWrapLog), "TMPDIR="+b.providersDir)
	b.logf("timing %d provider start-ups", b.opts.starts)
	for range b.opts.starts {
		s, err := timeStartup(ctx, b.provider, env)
		if err != nil {
			return r, err
		}
		w, err := timeStartup(ctx, filepath.Join(b.providersDir, "terraform-provider-tiledesk"), wrapped)
		if err != nil {
			return r, err
		}
		r.direct, r.wrapped = append(r.direct, s), append(r.wrapped, w)
	}
	return r, nil
}

// side is one side of the comparison.
type side struct {
	dir      string
	phases   []phase
	provider bool
}

// sideBySide measures every phase for n segments and n terraform_data,
// opts.reps times, alternating which goes first.
func (b *bench) sideBySide(ctx context.Context, n int) ([]series, error) {
	if err := b.writeConfigs(n); err != nil {
		return nil, err
	}
	out := make([]series, len(segmentPhases))
	for i, p := range segmentPhases {
		out[i] = series{n: n, phase: p.name}
	}
	floor, segments := side{b.floorDir, floorPhases, false}, side{b.segDir, segmentPhases, true}
	for rep := range b.opts.reps {
		order := []side{floor, segments}
		if rep%2 == 1 {
			order = []side{segments, floor}
		}
		for _, sd := range order {
			runs, err := b.cycle(ctx, sd)
			if err != nil {
				return nil, err
			}
			progress := fmt.Sprintf("N=%d rep %d/%d %s:", n, rep+1, b.opts.reps, filepath.Base(sd.dir))
			for i, p := range sd.phases {
				progress += fmt.Sprintf(" %s %s;", p.name, seconds(runs[i].wall))
				s := &out[slices.IndexFunc(segmentPhases, func(q phase) bool { return q.name == p.name })]
				if sd.provider {
					s.provider = append(s.provider, runs[i])
				} else {
					s.floor = append(s.floor, runs[i])
				}
			}
			b.logf("%s", strings.TrimSuffix(progress, ";"))
		}
	}
	return out, nil
}

// cycle runs a side's phases once, from a fresh state.
func (b *bench) cycle(ctx context.Context, sd side) ([]sample, error) {
	if err := removeState(sd.dir); err != nil {
		return nil, err
	}
	runs := make([]sample, len(sd.phases))
	for i, p := range sd.phases {
		var err error
		if runs[i], err = b.measure(ctx, sd.dir, p); err != nil {
			return nil, err
		}
	}
	return runs, nil
}

// logf writes a progress line to stderr.
func (b *bench) logf(format string, args ...any) {
	_, _ = fmt.Fprintf(b.progress, "tiledesk-bench: "+format+"\n", args...)
}

func (b *bench) writeConfigs(n int) error {
	if err := os.WriteFile(filepath.Join(b.segDir, "main.tf"), fmt.Appendf(nil, segmentConfig, n), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(b.floorDir, "main.tf"), fmt.Appendf(nil, floorConfig, n), 0o644)
}

func removeState(dir string) error {
	for _, f := range []string{"terraform.tfstate", "terraform.tfstate.backup"} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// measure runs one phase in dir with fresh API counts and provider usage,
// and fails unless terraform exits 0.
func (b *bench) measure(ctx context.Context, dir string, p phase) (sample, error) {
	var r sample
	if err := b.api.resetCounts(); err != nil {
		return r, err
	}
	if err := os.WriteFile(b.usageLog, nil, 0o600); err != nil {
		return r, err
	}
	if p.latency {
		if err := b.api.setLatency(b.opts.latency); err != nil {
			return r, err
		}
	}
	apiCPU := b.api.cpu()
	r, err := b.terraform(ctx, dir, p)
	if err != nil {
		return r, err
	}
	r.apiCPU = b.api.cpu() - apiCPU
	if p.latency {
		if err := b.api.setLatency(0); err != nil {
			return r, err
		}
	}
	if r.api, err = b.api.counts(); err != nil {
		return r, err
	}
	usage, err := os.ReadFile(b.usageLog)
	if err != nil {
		return r, err
	}
	r.provider, err = parseUsageLog(string(usage))
	return r, err
}

// terraform runs the phase's command and times it.
func (b *bench) terraform(ctx context.Context, dir string, p phase) (sample, error) {
	var r sample
	cmd := exec.CommandContext(ctx, "terraform", slices.Concat([]string{"-chdir=" + dir}, p.args, commonArgs)...)
	cmd.Env = b.env
	// Interrupted, terraform stops its providers and unlocks the state.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	connects, start := tcpConnects(), time.Now()
	err := cmd.Run()
	r.wall = time.Since(start)
	if r.connects = tcpConnects() - connects; connects < 0 {
		r.connects = -1
	}
	if err != nil {
		return r, fmt.Errorf("%s (terraform %s) in %s: %w (plan exits 2 when it is not a no-op)\n%s",
			p.name, strings.Join(p.args, " "), dir, err, tail(out.String(), 40))
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return r, nil
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
