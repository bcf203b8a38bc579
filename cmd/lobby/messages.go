package main

import "github.com/lobby-community/lobby/internal/msg"

// The CLI's own messages; see docs/development.md for how to add one.
var (
	msgUnknownCommand = msg.Message{
		En: "lobby: unknown command %q\n",
		Zh: "lobby：没有 %q 这个命令\n",
	}
	msgOneError = msg.Message{En: "1 error", Zh: "共 1 处错误"}
	msgErrors   = msg.Message{En: "%d errors", Zh: "共 %d 处错误"}
)
