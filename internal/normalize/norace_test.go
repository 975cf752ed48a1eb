//go:build !race

package normalize

// raceEnabled reports whether the tests run with the race detector.
const raceEnabled = false
