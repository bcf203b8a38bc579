//go:build crash

package feedback_test

// The crash test's size with -tags crash.
const (
	crashKills       = 20
	crashSubmissions = 2000
	crashWorkers     = 8
)
