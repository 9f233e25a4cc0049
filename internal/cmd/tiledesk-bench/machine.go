package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// machine describes where the benchmark ran.
type machine struct {
	cpus                           int
	cpuModel, memory, load         string
	terraform, goVersion, platform string
	// others is how many CPUs other processes kept busy on average during
	// the run, -1 when unknown. The benchmark shares the machine: its
	// numbers are only as quiet as this.
	others float64
}

func (m machine) String() string {
	others := "unknown"
	if m.others >= 0 {
		others = fmt.Sprintf("%.2f of the %d CPUs on average", m.others, m.cpus)
	}
	return fmt.Sprintf("- CPU: %d × %s\n- memory: %s\n- %s, %s, %s\n"+
		"- load average before the run: %s; other processes' CPU use during the run: %s\n",
		m.cpus, m.cpuModel, m.memory, m.terraform, m.goVersion, m.platform, m.load, others)
}

func readMachine(ctx context.Context) machine {
	m := machine{
		cpus: runtime.NumCPU(), cpuModel: "unknown", memory: "unknown", load: "unknown", terraform: "terraform unknown",
		goVersion: runtime.Version(), platform: runtime.GOOS + "/" + runtime.GOARCH, others: -1,
	}
	if v, ok := procField("/proc/cpuinfo", "model name"); ok {
		m.cpuModel = v
	}
	if v, ok := procField("/proc/meminfo", "MemTotal"); ok {
		if kib, err := strconv.ParseInt(strings.TrimSuffix(v, " kB"), 10, 64); err == nil {
			m.memory = fmt.Sprintf("%.1f GiB", float64(kib)/(1<<20))
		}
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil && len(strings.Fields(string(b))) >= 3 {
		m.load = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	if out, err := exec.CommandContext(ctx, "terraform", "version", "-json").Output(); err == nil {
		var v struct {
			Version string `json:"terraform_version"`
		}
		if json.Unmarshal(out, &v) == nil {
			m.terraform = "terraform " + v.Version
		}
	}
	return m
}

// procField returns the value of the first "key: value" line of a /proc file.
func procField(path, key string) (string, bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

// cpuSample is the machine's busy CPU time so far, in clock ticks (-1 when
// unknown), and ours.
type cpuSample struct {
	busyTicks int64
	own       time.Duration
}

func sampleCPU() cpuSample {
	s := cpuSample{busyTicks: -1, own: ownCPU()}
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		line, _, _ := strings.Cut(string(b), "\n")
		s.busyTicks = busyTicks(line)
	}
	return s
}

// busyTicks reads the first line of /proc/stat, "cpu user nice system idle
// iowait irq softirq steal guest guest_nice", and adds up all but idle,
// iowait and guest time (already counted in user).
func busyTicks(line string) int64 {
	f := strings.Fields(line)
	if len(f) < 6 || f[0] != "cpu" {
		return -1
	}
	var busy int64
	for i, v := range f[1:] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return -1
		}
		if i != 3 && i != 4 && i < 8 {
			busy += n
		}
	}
	return busy
}

// ownCPU is the CPU time of this process and of every process it waited for
// (terraform, the providers, the local API).
func ownCPU() time.Duration {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if syscall.Getrusage(who, &ru) == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return total
}

// othersCPU is the average number of CPUs that processes other than ours
// kept busy between two samples. Linux counts /proc/stat in USER_HZ, 100 per
// second.
func othersCPU(before, after cpuSample, elapsed time.Duration) float64 {
	if before.busyTicks < 0 || after.busyTicks < 0 || elapsed <= 0 {
		return -1
	}
	busy := time.Duration(after.busyTicks-before.busyTicks) * (time.Second / 100)
	return max(0, (busy-(after.own-before.own)).Seconds()/elapsed.Seconds())
}

// tcpConnects returns how many TCP connections this network namespace has
// opened so far (ActiveOpens in /proc/net/snmp); -1 when unknown.
func tcpConnects() int64 {
	b, err := os.ReadFile("/proc/net/snmp")
	if err != nil {
		return -1
	}
	return snmpField(string(b), "Tcp", "ActiveOpens")
}

// snmpField reads /proc/net/snmp, where each protocol has a line of names
// followed by a line of values.
func snmpField(snmp, proto, name string) int64 {
	var names []string
	for line := range strings.Lines(snmp) {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] != proto+":" {
			continue
		}
		if names == nil {
			names = f
			continue
		}
		for i, n := range names {
			if n == name && i < len(f) {
				if v, err := strconv.ParseInt(f[i], 10, 64); err == nil {
					return v
				}
			}
		}
		return -1
	}
	return -1
}

// processCPU returns the user+sys CPU time a running process has used so
// far, from /proc/<pid>/stat; -1 when unknown.
func processCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return -1
	}
	return statCPU(string(b))
}

// statCPU reads utime and stime, the 14th and 15th fields of
// /proc/<pid>/stat, in USER_HZ (100 per second). The second field, the
// command name in parentheses, may hold spaces: fields are counted after it.
func statCPU(stat string) time.Duration {
	_, rest, ok := strings.Cut(stat, ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return -1
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return time.Duration(utime+stime) * (time.Second / 100)
}
