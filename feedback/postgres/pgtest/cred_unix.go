//go:build unix

package pgtest

import (
	"os/exec"
	"syscall"
)

// apply makes cmd run as c; a nil c leaves cmd as the caller's user.
func (c *credential) apply(cmd *exec.Cmd) {
	if c != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(c.uid), Gid: uint32(c.gid)}}
	}
}
