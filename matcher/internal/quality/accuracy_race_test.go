//go:build race

package quality

// raceEnabled reports whether the tests run under the race detector, which
// slows matching tenfold: the accuracy test then uses a smaller world.
const raceEnabled = true
