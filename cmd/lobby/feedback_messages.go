package main

import "github.com/lobby-community/lobby/internal/msg"

// Messages of lobby feedback's casework commands.
var (
	msgFilter = msg.Message{
		En: "filter: %v",
		Zh: "筛选条件有误：%v",
	}
	msgNoTargets = msg.Message{
		En: "no service targets are set in [feedback.targets] of config.toml, so no case is overdue",
		Zh: "config.toml 的 [feedback.targets] 没有设置服务时限，因此没有超时事项",
	}
	msgEmptyNote = msg.Message{
		En: "the note is empty: write what was done or found",
		Zh: "备注是空的：请写下做了什么或发现了什么",
	}
	msgVerdict = msg.Message{
		En: "%q is not a verdict: use satisfied (满意), mostly_satisfied (基本满意) or dissatisfied (不满意)",
		Zh: "%q 不是回访评价：请用 satisfied（满意）、mostly_satisfied（基本满意）或 dissatisfied（不满意）",
	}
)
