//go:build unix

package crmlink_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user + system) the process used so far, so that a benchmark
// can report CPU per record, which a loaded machine inflates less than wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
