// Command rsswrap runs a program and records its peak RSS and CPU time, for
// tiledesk-bench. Placed in a dev_overrides folder under the provider's name,
// it is what Terraform starts: it runs the real provider (RSSWRAP_PROGRAM) as
// its child on the same stdin, stdout and stderr, passes on SIGINT and
// SIGTERM, waits, and appends the child's rusage to RSSWRAP_LOG as one line
// "<ru_maxrss in KiB> <user+sys CPU in ns>\n". It exits with the child's code.
// It is kept apart from tiledesk-bench, and small, because it runs at every
// provider start: it adds about 2 ms to each.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

func main() {
	cmd := exec.Command(os.Getenv("RSSWRAP_PROGRAM"), os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "rsswrap:", err)
		os.Exit(1)
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	_ = cmd.Wait() // its exit code is passed on below
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && os.Getenv("RSSWRAP_LOG") != "" {
		line := fmt.Sprintf("%d %d\n", ru.Maxrss, ru.Utime.Nano()+ru.Stime.Nano())
		if f, err := os.OpenFile(os.Getenv("RSSWRAP_LOG"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600); err == nil {
			_, _ = f.WriteString(line) // one short O_APPEND write: concurrent processes do not interleave
			_ = f.Close()
		}
	}
	if code := cmd.ProcessState.ExitCode(); code >= 0 {
		os.Exit(code)
	}
	os.Exit(1)
}
