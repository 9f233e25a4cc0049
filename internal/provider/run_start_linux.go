package provider

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// parentStart is when the process that started this provider began: the
// terraform (or tofu) command that runs it. Linux only, from /proc; the zero
// time when it cannot be read.
func parentStart() time.Time {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(os.Getppid()) + "/stat")
	if err != nil {
		return time.Time{}
	}
	// The command name (field 2) may hold spaces and parentheses: count the
	// fields after its closing parenthesis. starttime is field 22, in clock
	// ticks since boot (USER_HZ, 100 on every Linux that Go supports).
	s := string(stat)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 20 {
		return time.Time{}
	}
	ticks, err := strconv.ParseInt(fields[19], 10, 64)
	if err != nil {
		return time.Time{}
	}
	// /proc/uptime has centiseconds (btime in /proc/stat only seconds).
	now := time.Now()
	up, err := os.ReadFile("/proc/uptime")
	if err != nil {
		return time.Time{}
	}
	upFields := strings.Fields(string(up))
	if len(upFields) == 0 {
		return time.Time{}
	}
	uptime, err := strconv.ParseFloat(upFields[0], 64)
	if err != nil {
		return time.Time{}
	}
	age := time.Duration(uptime*float64(time.Second)) - time.Duration(ticks)*10*time.Millisecond
	if age < 0 {
		return time.Time{}
	}
	return now.Add(-age)
}
