package main

import (
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

// These tests cover the pure logic only: the benchmark itself runs with
// `make bench`, never under go test.

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{[]time.Duration{5}, 5},
		{[]time.Duration{9, 1, 5}, 5},
		{[]time.Duration{4, 1, 3, 2}, 2}, // (2+3)/2 in integer nanoseconds
		{[]time.Duration{10, 30}, 20},
	} {
		in := slices.Clone(tc.in)
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
		if !slices.Equal(in, tc.in) {
			t.Errorf("median reordered its input: %v", tc.in)
		}
	}
}

func TestParseOptions(t *testing.T) {
	args := []string{"-provider", "p", "-api", "a", "-wrapper", "w"}
	env := map[string]string{"BENCH_N": "10, 100", "BENCH_REPS": "1", "BENCH_LATENCY": "5ms"}
	o, err := parseOptions(args, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(o.ns, []int{10, 100}) || o.reps != 1 || o.latency != 5*time.Millisecond || o.starts != 20 {
		t.Errorf("options = %+v", o)
	}

	o, err = parseOptions(args, func(string) string { return "" }, io.Discard)
	if err != nil || !slices.Equal(o.ns, []int{10, 100, 500, 1000}) || o.reps != 3 || o.latency != 100*time.Millisecond {
		t.Errorf("defaults = %+v, %v", o, err)
	}

	for _, bad := range []map[string]string{{"BENCH_N": "ten"}, {"BENCH_N": "0"}, {"BENCH_N": " "}, {"BENCH_REPS": "1 2"}, {"BENCH_LATENCY": "-1s"}} {
		if _, err := parseOptions(args, func(k string) string { return bad[k] }, io.Discard); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
	if _, err := parseOptions([]string{"-provider", "p"}, func(string) string { return "" }, io.Discard); err == nil {
		t.Error("missing -api and -wrapper: no error")
	}
}

func TestCounts(t *testing.T) {
	var c counts
	if err := json.Unmarshal([]byte(`{"GET segment":500,"POST segments":0,"writes":0}`), &c); err != nil {
		t.Fatal(err)
	}
	if got := c.String(); got != "500 GET segment, 0 writes" {
		t.Errorf("String() = %q", got)
	}
	if !c.equal(counts{"GET segment": 500}) || c.equal(counts{"GET segment": 500, "writes": 1}) || c.equal(counts{}) {
		t.Error("equal treats missing and zero counters differently")
	}
	if got := (counts{"writes": 0}).String(); got != "none" {
		t.Errorf("no requests: %q", got)
	}
	// A destroy of 3: the refresh's 3 GETs, then the 3 GETs that check each segment before its DELETE.
	destroy := counts{"DELETE segment": 3, "GET segment": 6, "writes": 3}
	if got := destroy.String(); got != "3 DELETE segment, 6 GET segment, 3 writes" {
		t.Errorf("String() = %q", got)
	}
	for _, rt := range requestTargets {
		if rt.phase == destroyPhase.name && !destroy.equal(rt.want(3)) {
			t.Errorf("destroy target %v does not accept %v", rt.want(3), destroy)
		}
	}
}

func TestTable(t *testing.T) {
	tb := table{header: []string{"N", "ratio"}}
	tb.add("1000", "1.5×")
	want := "| N    | ratio |\n| ---- | ----- |\n| 1000 | 1.5×  |\n"
	if got := tb.String(); got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
}

func TestParseUsageLog(t *testing.T) {
	u, err := parseUsageLog("30000 1000000\n52000 250000000\n")
	if err != nil {
		t.Fatal(err)
	}
	if u.starts != 2 || u.peakRSS != 52000 || u.cpu != 251*time.Millisecond {
		t.Errorf("usage = %+v", u)
	}
	if _, err := parseUsageLog("garbage\n"); err == nil {
		t.Error("garbage: no error")
	}
}

func TestHandshakeAddress(t *testing.T) {
	got, err := handshakeAddress("1|6|unix|/tmp/plugin123|grpc|\n")
	if err != nil || got != "unix:/tmp/plugin123" {
		t.Errorf("unix: %q, %v", got, err)
	}
	for _, bad := range []string{"1|5|unix|/tmp/p|grpc|", "1|6|unix|/tmp/p|netrpc|", "1|6|unix|/tmp/p|grpc|CERT", "garbage"} {
		if _, err := handshakeAddress(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestProcParsers(t *testing.T) {
	snmp := "Ip: Forwarding DefaultTTL\nIp: 1 64\nTcp: RtoAlgorithm RtoMin ActiveOpens\nTcp: 1 200 15473\n"
	if got := snmpField(snmp, "Tcp", "ActiveOpens"); got != 15473 {
		t.Errorf("ActiveOpens = %d", got)
	}
	if got := snmpField(snmp, "Udp", "InDatagrams"); got != -1 {
		t.Errorf("missing protocol = %d", got)
	}
	// user nice system idle iowait irq softirq steal guest guest_nice
	if got := busyTicks("cpu  100 20 30 5000 7 1 2 3 50 0"); got != 156 {
		t.Errorf("busyTicks = %d, want 156", got)
	}
	before, after := cpuSample{busyTicks: 1000, own: time.Second}, cpuSample{busyTicks: 1400, own: 2 * time.Second}
	if got := othersCPU(before, after, 2*time.Second); got != 1.5 { // 4 s busy, 1 s ours, over 2 s
		t.Errorf("othersCPU = %v, want 1.5", got)
	}
}

func TestStatCPU(t *testing.T) {
	stat := "4242 (tiledesk local) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 75 0 0 20 0 9 0 1234 0 0"
	if got := statCPU(stat); got != 3250*time.Millisecond {
		t.Errorf("statCPU = %v, want 3.25s", got)
	}
	if got := statCPU("garbage"); got != -1 {
		t.Errorf("garbage: %v", got)
	}
}

func TestLatencyLimit(t *testing.T) {
	if got := latencyLimit(500, 20*time.Millisecond, 700*time.Millisecond); got != 1700*time.Millisecond {
		t.Errorf("limit = %v, want 1.7s", got)
	}
}

func TestConfigs(t *testing.T) {
	for _, cfg := range []string{segmentConfig, floorConfig} {
		if strings.Count(cfg, "%d") != 1 || strings.Count(cfg, "%") != 1 {
			t.Errorf("config must take exactly one %%d (the count):\n%s", cfg)
		}
	}
}
