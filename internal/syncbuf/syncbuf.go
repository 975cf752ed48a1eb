// Package syncbuf provides a bytes.Buffer that is safe for concurrent use, for tests that
// hand a writer (a log sink, a progress output) to goroutines of the code under test and read
// what was written while those goroutines may still run.
package syncbuf

import (
	"bytes"
	"sync"
)

// Buffer is a bytes.Buffer whose Write and String may be called from several goroutines at
// once. The zero value is an empty buffer ready to use. A Buffer must not be copied after
// first use.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p to the buffer; it never fails.
func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
