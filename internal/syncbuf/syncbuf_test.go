package syncbuf

import (
	"strings"
	"sync"
	"testing"
)

// TestConcurrentWrites writes lines from several goroutines while reading, and checks that
// no line was lost or torn. Run with -race to check the locking as well.
func TestConcurrentWrites(t *testing.T) {
	const writers, lines = 8, 200
	var buf Buffer
	var wg sync.WaitGroup
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range lines {
				_, _ = buf.Write([]byte("0123456789\n"))
				_ = buf.String()
			}
		}()
	}
	wg.Wait()
	got := buf.String()
	if n := strings.Count(got, "0123456789\n"); n != writers*lines || len(got) != writers*lines*11 {
		t.Errorf("%d whole lines in %d bytes, want %d lines in %d bytes", n, len(got), writers*lines, writers*lines*11)
	}
}
