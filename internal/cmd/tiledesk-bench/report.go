package main

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Targets of the issues "Performance: a benchmark against Terraform's own
// floor" and "Plans that do not wait on the network".
const (
	targetN              = 500                   // where the per-segment and ratio targets apply
	targetPlanPerSeg     = 3 * time.Millisecond  // no-op plan: the provider's extra time per segment
	targetRatio          = 1.1                   // apply and destroy against terraform_data
	targetLatencyPlan    = 1.3                   // no-op plan with latency against the same plan without
	targetLatencyDestroy = 1.2                   // destroy with latency against N × latency / 10 + terraform_data
	targetStartup        = 50 * time.Millisecond // exec to schema served
	targetRSSN           = 1000                  // where the RSS target applies
	targetRSSKiB         = 60 << 10
	parallelism          = 10
	readsByGet           = 10 // the client's listAfterReads: reads of a project that go by GET
	listPageSize         = 100
)

// refreshReads is what a refresh of n segments asks when the project holds
// exactly them: the first 10 by GET, then the list, ceil(n/100) pages.
func refreshReads(n int) counts {
	c := counts{"GET segment": min(n, readsByGet)}
	if n > readsByGet {
		c["GET segments"] = (n + listPageSize - 1) / listPageSize
	}
	return c
}

// destroyRequests is what a destroy of n segments asks: terraform's refresh,
// then the apply's checks before the DELETEs (read as a refresh reads), and
// the DELETEs.
func destroyRequests(n int) counts {
	c := refreshReads(n)
	for k, v := range c {
		c[k] = 2 * v
	}
	c["DELETE segment"], c["writes"] = n, n
	return c
}

// requestTargets is what each phase may ask of the API for N segments:
// nothing but the requests that do the work. terraform destroy refreshes
// first, as plan does.
var requestTargets = []struct {
	phase, text string
	want        func(n int) counts
}{
	{"apply", "N POST segments + 1 list page (the check for segments an interrupted apply left behind), nothing else", func(n int) counts {
		return counts{"POST segments": n, "GET segments": 1, "writes": n}
	}},
	{"no-op plan", "min(N, 10) GET segment + ceil(N/100) list pages (after the 10th read), 0 writes", refreshReads},
	{"no-op plan, API latency", "the same", refreshReads},
	{"destroy", "N DELETE segment + the plan's reads (terraform's refresh) + the same again for the checks that each segment is live in the project before its DELETE (the apply's own list walk), nothing else", destroyRequests},
	{"destroy, API latency", "the same", destroyRequests},
}

type startupResult struct{ direct, wrapped []startup }

type report struct {
	opts    options
	machine machine
	startup startupResult
	series  []series
	elapsed time.Duration
}

// median of xs (the mean of the middle two for an even count); zero when empty.
func median[T ~int64](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	mid := len(s) / 2
	if len(s)%2 == 1 {
		return s[mid]
	}
	return (s[mid-1] + s[mid]) / 2
}

// each returns f of every element of xs.
func each[S, T any](xs []S, f func(S) T) []T {
	out := make([]T, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// medianOf is the median of one number of each element of xs.
func medianOf[S any, T ~int64](xs []S, f func(S) T) T { return median(each(xs, f)) }

func wallOf(s sample) time.Duration        { return s.wall }
func cpuOf(s sample) time.Duration         { return s.cpu }
func providerCPUOf(s sample) time.Duration { return s.provider.cpu }
func connectsOf(s sample) int64            { return s.connects }
func apiCPUOf(s sample) time.Duration      { return s.apiCPU }

func handshakeOf(s startup) time.Duration { return s.handshake }
func schemaOf(s startup) time.Duration    { return s.schema }

func maxRSS(samples []sample) int64 {
	var m int64
	for _, s := range samples {
		m = max(m, s.provider.peakRSS)
	}
	return m
}

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + " s" }

func millis(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + " ms"
}

func mib(kib int64) string { return strconv.FormatFloat(float64(kib)/1024, 'f', 1, 64) + " MiB" }

func ratio(a, b time.Duration) float64 { return a.Seconds() / b.Seconds() }

func mark(ok bool) string {
	if ok {
		return "✅"
	}
	return "❌"
}

// counts are the local API's request counters, keyed "METHOD route" ("GET
// segment", "POST segments", ...), plus "writes".
type counts map[string]int

// String lists the non-zero counters, requests first, e.g.
// "500 GET segment, 0 writes"; "none" for no request at all.
func (c counts) String() string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(c)) {
		if k != "writes" && c[k] != 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c[k], k))
		}
	}
	if len(parts) == 0 && c["writes"] == 0 {
		return "none"
	}
	return strings.Join(append(parts, fmt.Sprintf("%d writes", c["writes"])), ", ")
}

// requests is the number of requests, writes aside.
func (c counts) requests() int {
	n := 0
	for k, v := range c {
		if k != "writes" {
			n += v
		}
	}
	return n
}

// equal compares two sets of counters, a missing key counting as zero.
func (c counts) equal(want counts) bool {
	for _, k := range slices.Concat(slices.Collect(maps.Keys(c)), slices.Collect(maps.Keys(want))) {
		if c[k] != want[k] {
			return false
		}
	}
	return true
}

// table is a markdown table, padded so that it also reads as plain text.
type table struct {
	header []string
	rows   [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t table) String() string {
	widths := make([]int, len(t.header))
	for _, row := range append([][]string{t.header}, t.rows...) {
		for i, c := range row {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	var sb strings.Builder
	line := func(cells []string) {
		for i, c := range cells {
			fmt.Fprintf(&sb, "| %s%s ", c, strings.Repeat(" ", widths[i]-len([]rune(c))))
		}
		sb.WriteString("|\n")
	}
	line(t.header)
	rule := make([]string, len(widths))
	for i, w := range widths {
		rule[i] = strings.Repeat("-", w)
	}
	line(rule)
	for _, row := range t.rows {
		line(row)
	}
	return sb.String()
}

func (r report) markdown() string {
	var sb strings.Builder
	section := func(title string, body fmt.Stringer) { fmt.Fprintf(&sb, "\n#### %s\n\n%s", title, body) }
	fmt.Fprintf(&sb, "Machine:\n\n%s\nMedians of %d runs, apply and destroy on a fresh state each time, `-parallelism=%d`; whole run %s.\n",
		r.machine, r.opts.reps, parallelism, r.elapsed.Round(time.Second))
	section("Wall time: N tiledesk_segment against N terraform_data", r.timeTable())
	section("What the provider did (tiledesk_segment runs)", r.providerTable())
	section(fmt.Sprintf("No-op plan and destroy with %s added to every API answer", r.opts.latency), r.latencyTable())
	section(fmt.Sprintf("Provider start-up (%d starts)", r.opts.starts), r.startupTable())
	section("Targets", r.targetTable())
	return sb.String()
}

func (r report) timeTable() table {
	t := table{header: []string{"N", "phase", "tiledesk_segment", "terraform_data", "ratio", "extra per segment",
		"CPU tiledesk_segment (provider's part)", "CPU terraform_data"}}
	for _, s := range r.series {
		if len(s.floor) == 0 {
			continue // the plan with latency: see latencyTable
		}
		p, f := medianOf(s.provider, wallOf), medianOf(s.floor, wallOf)
		t.add(strconv.Itoa(s.n), s.phase, seconds(p), seconds(f), fmt.Sprintf("%.2f×", ratio(p, f)),
			millis((p-f)/time.Duration(s.n)),
			fmt.Sprintf("%s (%s)", seconds(medianOf(s.provider, cpuOf)), seconds(medianOf(s.provider, providerCPUOf))),
			seconds(medianOf(s.floor, cpuOf)))
	}
	return t
}

func (r report) providerTable() table {
	t := table{header: []string{"N", "phase", "API requests", "TCP connections opened", "provider processes", "provider peak RSS",
		"local API's CPU"}}
	for _, s := range r.series {
		last := s.provider[len(s.provider)-1]
		t.add(strconv.Itoa(s.n), s.phase, last.api.String(), strconv.FormatInt(medianOf(s.provider, connectsOf), 10),
			strconv.Itoa(last.provider.starts), mib(maxRSS(s.provider)), seconds(medianOf(s.provider, apiCPUOf)))
	}
	return t
}

// latencyLimit is the best a phase of n segments can do when each of n
// requests takes latency and Terraform runs `parallelism` at a time, on top
// of Terraform's own phase of n resources (floor).
func latencyLimit(n int, latency, floor time.Duration) time.Duration {
	return time.Duration(n)*latency/parallelism + floor
}

// find returns the series of a phase at n (empty if there is none).
func (r report) find(n int, p phase) series {
	for _, s := range r.series {
		if s.n == n && s.phase == p.name {
			return s
		}
	}
	return series{n: n, phase: p.name}
}

// withLatency returns, at n, the medians of a phase with latency, of the
// same phase without, and of terraform_data's phase.
func (r report) withLatency(n int, p, plain phase) (withLat, without, floor time.Duration) {
	s := r.find(n, plain)
	return medianOf(r.find(n, p).provider, wallOf), medianOf(s.provider, wallOf), medianOf(s.floor, wallOf)
}

func (r report) latencyTable() table {
	t := table{header: []string{"N", "phase", "with latency", "without", "ratio", "limit (N × latency / 10 + terraform_data)", "ratio to limit", "API requests"}}
	for _, n := range r.opts.ns {
		for _, pp := range [][2]phase{{latencyPlanPhase, planPhase}, {latencyDestroyPhase, destroyPhase}} {
			p, plain, floor := r.withLatency(n, pp[0], pp[1])
			limit := latencyLimit(n, r.opts.latency, floor)
			reqs := ""
			if s := r.find(n, pp[0]); len(s.provider) > 0 {
				reqs = s.provider[len(s.provider)-1].api.String()
			}
			t.add(strconv.Itoa(n), pp[1].name, seconds(p), seconds(plain), fmt.Sprintf("%.2f×", ratio(p, plain)),
				seconds(limit), fmt.Sprintf("%.2f×", ratio(p, limit)), reqs)
		}
	}
	return t
}

func (r report) startupTable() table {
	t := table{header: []string{"measure", "median", "min", "max"}}
	row := func(name string, ss []startup, f func(startup) time.Duration) {
		ds := each(ss, f)
		t.add(name, millis(median(ds)), millis(slices.Min(ds)), millis(slices.Max(ds)))
	}
	row("exec → plugin handshake (gRPC server listening)", r.startup.direct, handshakeOf)
	row("exec → GetProviderSchema answered", r.startup.direct, schemaOf)
	row("exec → GetProviderSchema answered, through rsswrap", r.startup.wrapped, schemaOf)
	t.add("GetProviderSchema answer", fmt.Sprintf("%d bytes", r.startup.direct[0].schemaBytes), "", "")
	return t
}

func (r report) targetTable() table {
	t := table{header: []string{"target", "measured", ""}}
	for _, rt := range requestTargets {
		var misses []string
		for _, s := range r.series {
			for _, smp := range s.provider {
				if s.phase == rt.phase && !smp.api.equal(rt.want(s.n)) {
					misses = append(misses, fmt.Sprintf("N=%d: %s", s.n, smp.api))
				}
			}
		}
		measured := "so at every N, in every run"
		if len(misses) > 0 {
			measured = strings.Join(slices.Compact(misses), "; ")
		}
		t.add(fmt.Sprintf("%s: API requests = %s", rt.phase, rt.text), measured, mark(len(misses) == 0))
	}
	for _, s := range r.series {
		if s.n != targetN || len(s.floor) == 0 {
			continue
		}
		p, f := medianOf(s.provider, wallOf), medianOf(s.floor, wallOf)
		vs := fmt.Sprintf("(%s against %s)", seconds(p), seconds(f))
		if s.phase == planPhase.name {
			extra := (p - f) / time.Duration(s.n)
			t.add(fmt.Sprintf("no-op plan at N=%d: at most %s more per segment than terraform_data", s.n, millis(targetPlanPerSeg)),
				millis(extra)+" per segment "+vs, mark(extra <= targetPlanPerSeg))
		} else {
			t.add(fmt.Sprintf("%s at N=%d: within %.1f× terraform_data", s.phase, s.n, targetRatio),
				fmt.Sprintf("%.2f× %s", ratio(p, f), vs), mark(ratio(p, f) <= targetRatio))
		}
	}
	for _, n := range r.opts.ns {
		if n != targetN {
			continue
		}
		p, plain, _ := r.withLatency(n, latencyPlanPhase, planPhase)
		t.add(fmt.Sprintf("no-op plan at N=%d with %s latency: within %.1f× the same plan without", n, r.opts.latency, targetLatencyPlan),
			fmt.Sprintf("%.2f× (%s against %s)", ratio(p, plain), seconds(p), seconds(plain)), mark(ratio(p, plain) <= targetLatencyPlan))
		worst := 0
		for _, smp := range r.find(n, latencyPlanPhase).provider {
			worst = max(worst, smp.api.requests())
		}
		bound := min(n, (n+listPageSize-1)/listPageSize) + readsByGet
		t.add(fmt.Sprintf("no-op plan at N=%d with %s latency: at most min(N, ceil(P/100)) + 10 = %d requests", n, r.opts.latency, bound),
			fmt.Sprintf("%d requests", worst), mark(worst <= bound))
		d, _, floor := r.withLatency(n, latencyDestroyPhase, destroyPhase)
		limit := latencyLimit(n, r.opts.latency, floor)
		t.add(fmt.Sprintf("destroy at N=%d with %s latency: within %.1f× N × latency / 10 + terraform_data destroy", n, r.opts.latency, targetLatencyDestroy),
			fmt.Sprintf("%.2f× (%s against %s)", ratio(d, limit), seconds(d), seconds(limit)), mark(ratio(d, limit) <= targetLatencyDestroy))
	}
	start := medianOf(r.startup.direct, schemaOf)
	t.add(fmt.Sprintf("start-up (exec → schema served) under %s", millis(targetStartup)), millis(start), mark(start < targetStartup))
	for _, s := range r.series {
		if s.n == targetRSSN {
			rss := maxRSS(s.provider)
			t.add(fmt.Sprintf("provider peak RSS under %s at N=%d, %s", mib(targetRSSKiB), s.n, s.phase), mib(rss), mark(rss < targetRSSKiB))
		}
	}
	return t
}
