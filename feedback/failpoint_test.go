package feedback

import (
	"maps"
	"os"
	"testing"
)

// failpoints are off unless LOBBY_FAILPOINT names them.
// (cmd/lobby's TestFeedbackFailpointAfterCommit fires one in a real
// lobby serve.)
func TestFailpointNames(t *testing.T) {
	if os.Getenv(FailpointEnv) == "" && armedFailpoints != nil {
		t.Errorf("failpoints armed without %s: %v", FailpointEnv, armedFailpoints)
	}
	for _, tc := range []struct {
		env  string
		want map[string]bool
	}{
		{"", nil},
		{" , ", nil},
		{"after-commit", map[string]bool{"after-commit": true}},
		{" after-commit ,other", map[string]bool{"after-commit": true, "other": true}},
	} {
		if got := parseFailpoints(tc.env); !maps.Equal(got, tc.want) || (got == nil) != (tc.want == nil) {
			t.Errorf("parseFailpoints(%q) = %v, want %v", tc.env, got, tc.want)
		}
	}
	// With nothing armed, a failpoint returns.
	saved := armedFailpoints
	armedFailpoints = nil
	defer func() { armedFailpoints = saved }()
	failpoint(FailpointAfterCommit)
}
