package main

import (
	"bufio"
	"fmt"
	"strings"
	"time"
)

// The provider's peak RSS and CPU come from the kernel, through rsswrap (see
// rsswrap/main.go): the dev_overrides folder holds rsswrap under the
// provider's name, so Terraform starts the provider through it, and it logs
// the rusage of each provider process (Terraform starts several per command).
const (
	envWrapProgram = "RSSWRAP_PROGRAM"
	envWrapLog     = "RSSWRAP_LOG"
)

// providerUsage sums up the provider processes of one terraform command.
type providerUsage struct {
	starts  int
	peakRSS int64         // KiB, the largest of the processes
	cpu     time.Duration // user+sys, all processes together
}

// parseUsageLog reads rsswrap's lines, "<ru_maxrss KiB> <CPU ns>".
func parseUsageLog(log string) (providerUsage, error) {
	var u providerUsage
	sc := bufio.NewScanner(strings.NewReader(log))
	for sc.Scan() {
		var rss, ns int64
		if _, err := fmt.Sscanf(sc.Text(), "%d %d", &rss, &ns); err != nil {
			return u, fmt.Errorf("rsswrap line %q: %w", sc.Text(), err)
		}
		u.starts++
		u.peakRSS = max(u.peakRSS, rss)
		u.cpu += time.Duration(ns)
	}
	return u, sc.Err()
}
