//go:build crash

package main

// go test -tags crash runs the full kill -9 harness
// (about 2 minutes): 20 SIGKILLs and at least 2,000 submissions.
func init() {
	crashKills = 20
	crashMinSubmissions = 2000
	crashWorkers = 8
}
