//go:build !unix

package pgtest

import "os/exec"

// apply does nothing where processes have no user to switch to; os.Geteuid
// never reports root there, so no credential is ever made.
func (c *credential) apply(cmd *exec.Cmd) {}
