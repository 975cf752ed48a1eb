//go:build unix

package boltstore_test

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user + system) used by the process so far, so
// that benchmarks can report CPU per op, which a loaded machine inflates less
// than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
