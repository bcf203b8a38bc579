package feedback

import (
	"fmt"
	"os"
	"strings"
)

// FailpointEnv names the variable whose failpoints let crash tests end the
// server at an exact moment instead of a random one.
//
// The environment variable LOBBY_FAILPOINT holds a comma-separated list of
// failpoint names. At an armed failpoint the process writes one line to
// standard error and ends at once with os.Exit(137), the status of a process
// killed by SIGKILL: no deferred function runs, no answer is written, the
// store is not closed. The names are:
//
//	after-commit  a new case is committed (fsync'd) in the store, and its
//	              answer has not been written yet. A client's retry with
//	              the same key must get the case already stored.
//
// The variable is read once, when the program starts. Unset or empty, which
// it always is outside tests, every failpoint is off and costs one test of
// a bool; unknown names are ignored. Never set it on a real server.
const FailpointEnv = "LOBBY_FAILPOINT"

// FailpointAfterCommit is the failpoint between the commit of a new case
// and its answer.
const FailpointAfterCommit = "after-commit"

// armedFailpoints are the failpoints LOBBY_FAILPOINT armed when the program
// started; nil (none) unless it is set.
var armedFailpoints = parseFailpoints(os.Getenv(FailpointEnv))

func parseFailpoints(s string) map[string]bool {
	var m map[string]bool
	for name := range strings.SplitSeq(s, ",") {
		if name = strings.TrimSpace(name); name != "" {
			if m == nil {
				m = map[string]bool{}
			}
			m[name] = true
		}
	}
	return m
}

// failpoint ends the process with status 137 when the failpoint name is
// armed, and does nothing otherwise.
func failpoint(name string) {
	if armedFailpoints[name] {
		fmt.Fprintf(os.Stderr, "lobby: failpoint %s: exiting with status 137\n", name)
		os.Exit(137)
	}
}
