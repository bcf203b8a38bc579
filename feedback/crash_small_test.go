//go:build !crash

package feedback_test

// The crash test's size in a normal run: small enough for CI.
const (
	crashKills       = 5
	crashSubmissions = 300
	crashWorkers     = 6
)
