// Command tiledesk-bench measures the provider against Terraform's own
// floor, for `make bench`. For each N it runs terraform apply, a no-op plan
// and destroy of N tiledesk_segment resources and, side by side, of N
// terraform_data resources (built into Terraform, no provider). It counts the
// API requests of each phase on the local Tiledesk API, records the provider
// processes' peak RSS and CPU, repeats the no-op plan and destroy with
// latency added to every API answer, times the provider's start-up, and
// prints markdown tables to stdout (progress goes to stderr).
//
// Usage:
//
//	tiledesk-bench -provider PATH -api PATH -wrapper PATH
//
// with the built provider, tiledesk-local-api and rsswrap (the rsswrap
// folder below this one). README.md, "Benchmarks", says how each number is
// measured.
//
// Environment: BENCH_N (default "10 100 500 1000"), BENCH_REPS (3),
// BENCH_LATENCY (100ms), BENCH_STARTS (20 provider start-ups). Terraform is
// the one on PATH; the environment is passed on to it (TILEDESK_* excepted).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts, err := parseOptions(os.Args[1:], os.Getenv, os.Stderr)
	if err == nil {
		err = run(ctx, opts, os.Stdout, os.Stderr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tiledesk-bench:", err)
		os.Exit(1)
	}
}

// options is the parsed command line and environment.
type options struct {
	provider, api, wrapper string        // built binaries
	ns                     []int         // resource counts
	reps                   int           // repetitions of each measurement
	latency                time.Duration // added to every API answer in the latency pass
	starts                 int           // provider start-ups timed
}

func parseOptions(args []string, getenv func(string) string, stderr io.Writer) (options, error) {
	o := options{ns: []int{10, 100, 500, 1000}, reps: 3, latency: 100 * time.Millisecond, starts: 20}
	fs := flag.NewFlagSet("tiledesk-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.provider, "provider", "", "the built provider `binary`")
	fs.StringVar(&o.api, "api", "", "the built tiledesk-local-api `binary`")
	fs.StringVar(&o.wrapper, "wrapper", "", "the built rsswrap `binary`")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.provider == "" || o.api == "" || o.wrapper == "" || fs.NArg() > 0 {
		return o, errors.New("usage: tiledesk-bench -provider BINARY -api BINARY -wrapper BINARY")
	}
	var err error
	if v := getenv("BENCH_N"); v != "" {
		if o.ns, err = parseInts(v); err != nil {
			return o, fmt.Errorf("BENCH_N=%q: %w", v, err)
		}
	}
	for name, dst := range map[string]*int{"BENCH_REPS": &o.reps, "BENCH_STARTS": &o.starts} {
		if v := getenv(name); v != "" {
			ns, err := parseInts(v)
			if err != nil || len(ns) != 1 {
				return o, fmt.Errorf("%s=%q: want one positive whole number", name, v)
			}
			*dst = ns[0]
		}
	}
	if v := getenv("BENCH_LATENCY"); v != "" {
		if o.latency, err = time.ParseDuration(v); err != nil || o.latency < 0 {
			return o, fmt.Errorf("BENCH_LATENCY=%q: want a duration such as 20ms", v)
		}
	}
	return o, nil
}

// parseInts reads positive whole numbers separated by spaces or commas.
func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a positive whole number", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, errors.New("no numbers")
	}
	return out, nil
}

func run(ctx context.Context, o options, stdout, stderr io.Writer) error {
	work, err := os.MkdirTemp("", "tiledesk-bench-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(work) }()

	r := report{opts: o, machine: readMachine(ctx)}
	before, start := sampleCPU(), time.Now()
	if err := measureAll(ctx, &r, work, stderr); err != nil {
		return err
	}
	r.elapsed = time.Since(start)
	r.machine.others = othersCPU(before, sampleCPU(), r.elapsed)
	_, err = io.WriteString(stdout, r.markdown())
	return err
}

// measureAll runs every measurement against a local API of its own.
func measureAll(ctx context.Context, r *report, work string, progress io.Writer) error {
	api, err := startLocalAPI(ctx, r.opts.api, work)
	if err != nil {
		return err
	}
	defer api.stop()
	b, err := newBench(r.opts, api, work, progress)
	if err != nil {
		return err
	}
	if r.startup, err = b.startup(ctx); err != nil {
		return err
	}
	for _, n := range r.opts.ns {
		s, err := b.sideBySide(ctx, n)
		if err != nil {
			return err
		}
		r.series = append(r.series, s...)
	}
	return nil
}
