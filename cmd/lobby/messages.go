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

// Messages of build, check, serve, new and init.
var (
	msgBaseURLFlag = msg.Message{En: "--base-url %v", Zh: "--base-url：%v"}
	msgNowFlag     = msg.Message{
		En: "--now %q: write a time with its offset, such as 2026-12-01T09:00:00+08:00",
		Zh: "--now %q：请写带时区的时间，如 2026-12-01T09:00:00+08:00",
	}
	msgNoArguments = msg.Message{
		En: "%s takes no arguments, got %q",
		Zh: "%s 不接受参数，但收到了 %q",
	}
	msgBuildInterrupted = msg.Message{
		En: "build interrupted: %s and the search index are as they were",
		Zh: "生成已中断：%s 和搜索索引保持原样",
	}
	msgIndexInterrupted = msg.Message{
		En: "build interrupted while indexing: %s is written, the search index is as it was",
		Zh: "建立搜索索引时中断：%s 已写好，搜索索引保持原样",
	}
	msgCheckFormat = msg.Message{
		En: "--format %q: use text or github",
		Zh: "--format %q 无效：请用 text 或 github",
	}
	msgCheckInterrupted = msg.Message{En: "check interrupted", Zh: "检查已中断"}
	msgWarning          = msg.Message{En: "warning: %s", Zh: "警告：%s"}
	msgCheckOK          = msg.Message{En: "ok: %s", Zh: "检查通过：%s"}
	msgFileExists       = msg.Message{En: "%s exists already", Zh: "%s 已存在"}
	msgInitNotEmpty     = msg.Message{
		En: "%s is not empty: lobby init writes a new site into an empty folder",
		Zh: "%s 不是空文件夹：lobby init 只在空文件夹中创建新网站",
	}
	msgInitDone = msg.Message{
		En: "created a new site in %s\nnext: cd %[1]s && lobby serve --watch",
		Zh: "已在 %s 创建新网站\n下一步：cd %[1]s && lobby serve --watch",
	}
	msgWatchNoBuild = msg.Message{
		En: "--watch rebuilds: it cannot go with --no-build",
		Zh: "--watch 会重新生成网站，不能与 --no-build 同时使用",
	}
	msgSynonymsFile = msg.Message{
		En: "search synonyms (config.toml search.synonyms): %v",
		Zh: "搜索同义词文件（config.toml 的 search.synonyms）：%v",
	}
	msgSearchIndex = msg.Message{En: "search index: %v", Zh: "搜索索引：%v"}
)
