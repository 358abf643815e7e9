//go:build race

package sink

// raceEnabled: the race detector changes allocations (sync.Pool drops
// items at random), so allocation tests skip themselves.
const raceEnabled = true
