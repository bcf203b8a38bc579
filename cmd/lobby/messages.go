package main

import "github.com/lobby-community/lobby/internal/msg"

// The CLI's own messages; see docs/development.md for how to add one.
var (
	msgUsage = msg.Message{
		En: `lobby builds and serves the website of a residential community.

Usage:

	lobby <command> [flags] [arguments]

Commands:

	build      render content/ to public/, the content API and the search index
	check      validate the site like build does, writing nothing
	serve      build, then serve the site, search, content API and feedback
	new        create a page: lobby new KIND TITLE (notice, event, newsletter, fee, page, handbook)
	init       create a new community site: lobby init DIR
	feedback   staff operations on residents' feedback: list, show, set, export, purge
	survey     surveys: household codes, results to publish, export of answers
	version    print the version

Run "lobby <command> -h" for the flags of a command.
`,
		Zh: `lobby 生成并运行住宅小区的网站。

用法：

	lobby <命令> [选项] [参数]

命令：

	build      把 content/ 生成到 public/，并生成内容 API 和搜索索引
	check      像 build 一样检查网站，但不写任何文件
	serve      生成后运行网站、搜索、内容 API 和意见反馈
	new        新建页面：lobby new 类型 标题（notice、event、newsletter、fee、page、handbook）
	init       新建小区网站：lobby init 文件夹
	feedback   物业处理居民意见：list、show、set、export、purge
	survey     问卷：住户码、发布结果、导出答卷
	version    显示版本

运行 "lobby <命令> -h" 查看该命令的选项（选项说明为英文）。
`,
	}
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

// Messages of lobby feedback.
var (
	msgFeedbackUnknown = msg.Message{
		En: "feedback: unknown command %q: use list, show, set, note, followup, export, purge, migrate or report",
		Zh: "feedback：没有 %q 这个命令：请用 list、show、set、note、followup、export、purge、migrate 或 report",
	}
	msgNotRef = msg.Message{
		En: "%q is not a reference: references have %d characters such as ABCD2345",
		Zh: "%q 不是受理编号：编号有 %d 个字符，如 ABCD2345",
	}
	msgListFormat = msg.Message{
		En: "--format %q: use table, json or csv",
		Zh: "--format %q 无效：请用 table、json 或 csv",
	}
	msgAllWithPage = msg.Message{
		En: "--all shows every case: it cannot go with --limit or --after",
		Zh: "--all 显示全部案件，不能与 --limit 或 --after 同时使用",
	}
	msgFlagValue = msg.Message{En: "%s: %v", Zh: "%s：%v"}
	msgNextPage  = msg.Message{
		En: "%d cases shown; for the next page, add --after %s (or --all for every case)",
		Zh: "已显示 %d 件；下一页请加 --after %s（或用 --all 显示全部）",
	}
	msgExportNeedsCSV = msg.Message{
		En: "export: --csv FILE is required",
		Zh: "export：需要 --csv 文件名",
	}
	msgExported = msg.Message{
		En: "exported %d cases to %s",
		Zh: "已导出 %d 件到 %s",
	}
	msgPurged = msg.Message{
		En: "purged %d cases last changed before %s",
		Zh: "已清除 %d 件最后更新早于 %s 的案件",
	}
	msgMigrateNeedsTo = msg.Message{
		En: "migrate: --to STORE is required: postgres://user@host/database or sqlite:PATH",
		Zh: "migrate：需要 --to 目标存储：postgres://user@host/database 或 sqlite:路径",
	}
	msgMigrateKind = msg.Message{
		En: "migrate: %s stores cannot be copied into",
		Zh: "migrate：不能复制到 %s 存储",
	}
	msgMigrateNotEmpty = msg.Message{
		En: "migrate: %s already holds cases: copy only into an empty store",
		Zh: "migrate：%s 中已有案件：只能复制到空的存储",
	}
	msgMigrateCounts = msg.Message{
		En: "migrate: the copy holds %d cases and %d history entries, the source %d and %d: do not switch stores",
		Zh: "migrate：副本有 %d 件案件、%d 条记录，源存储有 %d 件、%d 条：请不要切换存储",
	}
	msgMigrated = msg.Message{
		En: "copied %d cases with %d history entries to %s; counts checked",
		Zh: "已复制 %d 件案件及 %d 条记录到 %s；数量已核对",
	}
)
