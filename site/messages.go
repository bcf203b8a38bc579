package site

import "github.com/lobby-community/lobby/internal/msg"

// Messages about values that a key cannot hold. Each names the key and
// shows it written correctly (the last argument), in the syntax of the
// file at fault.
var (
	msgNotADate = msg.Message{
		En: "%[1]s: %[2]s is not a date: write %[3]s (year-month-day, and T before a time)",
		Zh: "%[1]s 的值 %[2]s 不是日期格式，请写成 %[3]s（年-月-日，时间前加 T）",
	}
	msgNoSuchMonth = msg.Message{
		En: "%[1]s: %[2]s has no month %[3]d: months run from 01 to 12, as in %[4]s",
		Zh: "%[1]s 的值 %[2]s 中没有 %[3]d 月：月份是 01 到 12，例如 %[4]s",
	}
	msgNoSuchDay = msg.Message{
		En: "%[1]s: %[2]s: month %[3]d has no day %[4]d; check the date, written as in %[5]s",
		Zh: "%[1]s 的值 %[2]s 有误：%[3]d 月没有 %[4]d 日，请核对日期，格式如 %[5]s",
	}
	msgNeedsQuotes = msg.Message{
		En: "%[1]s: text must stand in double quotes: write %[2]s",
		Zh: "%[1]s 的文字要放在英文双引号里，请写成 %[2]s",
	}
	msgUnclosedQuote = msg.Message{
		En: "%[1]s: the text has no closing quote: write %[2]s on one line",
		Zh: "%[1]s 的文字缺少右引号，请在同一行写成 %[2]s",
	}
	msgNeedsBool = msg.Message{
		En: "%[1]s must be true or false: write %[2]s",
		Zh: "%[1]s 只能是 true 或 false，请写成 %[2]s",
	}
	msgNeedsInt = msg.Message{
		En: "%[1]s must be a whole number: write %[2]s",
		Zh: "%[1]s 应为整数，请写成 %[2]s",
	}
	msgNeedsList = msg.Message{
		En: "%[1]s must be a list: write %[2]s",
		Zh: "%[1]s 应为列表，请写成 %[2]s",
	}
	msgNeedsAmount = msg.Message{
		En: "%[1]s must be an amount: write %[2]s",
		Zh: "%[1]s 应为金额，请写成 %[2]s",
	}
	msgAmountFloat = msg.Message{
		En: "%[1]s: %[2]s is a floating-point number, which can lose cents: write it in quotes, %[3]s",
		Zh: "%[1]s 的值 %[2]s 是浮点数，可能丢失分位：请加引号写成 %[3]s",
	}
	msgNeedsTable = msg.Message{
		En: "%[1]s holds keys of its own: write it as a table, [%[1]s]",
		Zh: "%[1]s 下面还有自己的键，请写成表格形式 [%[1]s]",
	}
	msgDuplicateKey = msg.Message{
		En: "%s is set twice: keep one",
		Zh: "%s 设置了两次，请只保留一个",
	}
	msgTOMLSyntax = msg.Message{
		En: "cannot read this line as TOML (%s)",
		Zh: "这一行不符合 TOML 格式（%s）",
	}
	msgTOMLSyntaxAfter = msg.Message{
		En: "cannot read this line as TOML, after the key %q (%s)",
		Zh: "这一行不符合 TOML 格式，出错处在键 %q 之后（%s）",
	}
	msgYAMLSyntax = msg.Message{
		En: "cannot read this line as YAML (%s)",
		Zh: "这一行不符合 YAML 格式（%s）",
	}
)

// Messages about the encoding of a file.
var (
	msgNotUTF8 = msg.Message{
		En: "invalid UTF-8 (byte 0x%02x): save the file as UTF-8",
		Zh: "不是有效的 UTF-8 编码（字节 0x%02x）：请把文件另存为 UTF-8 编码",
	}
	msgLooksGBK = msg.Message{
		En: "the file is not UTF-8 but looks like GBK/GB18030 (what Chinese Windows editors call ANSI): open it and save it as UTF-8 (in Notepad: File > Save As > Encoding: UTF-8; in VS Code: click GBK in the status bar, Save with Encoding, UTF-8)",
		Zh: "文件不是 UTF-8 编码，看起来是 GBK/GB18030 编码（中文 Windows 编辑器中的 ANSI）：请打开文件另存为 UTF-8（记事本：文件 > 另存为 > 编码选 UTF-8；VS Code：点状态栏的 GBK，选“通过编码保存”，再选 UTF-8）",
	}
)

// Messages about keys.
var (
	msgUnknownKey = msg.Message{
		En: "unknown key %q",
		Zh: "未知的键 %q",
	}
	msgUnknownKeySuggest = msg.Message{
		En: "unknown key %q (did you mean %q?)",
		Zh: "未知的键 %q（是不是 %q？）",
	}
	msgUnknownFMKey = msg.Message{
		En: "unknown front matter key %q; put your own keys under %s",
		Zh: "未知的 front matter 键 %q；自定义的键请放在 %s 下",
	}
	msgUnknownFMKeySuggest = msg.Message{
		En: "unknown front matter key %q (did you mean %q?); put your own keys under %s",
		Zh: "未知的 front matter 键 %q（是不是 %q？）；自定义的键请放在 %s 下",
	}
)

// Messages about config.toml.
var (
	msgNoConfig = msg.Message{
		En: "no config.toml: is --source the site's folder?",
		Zh: "找不到 config.toml：--source 指向的是网站文件夹吗？",
	}
	msgTitleRequired = msg.Message{
		En: `title is required: add title = "…", the site's name`,
		Zh: `缺少 title：请加上 title = "…"，即网站名称`,
	}
	msgBaseURLRequired = msg.Message{
		En: `baseURL is required (feeds, the sitemap, calendars and QR codes need absolute URLs): add baseURL = "https://example.org/"`,
		Zh: `缺少 baseURL（订阅源、站点地图、日历和二维码需要完整网址）：请加上 baseURL = "https://example.org/"`,
	}
	// msgKeyValue puts a key before what is wrong with its value.
	msgKeyValue = msg.Message{
		En: "%s: %v",
		Zh: "%s：%v",
	}
	msgBadBaseURL = msg.Message{
		En: "baseURL %v",
		Zh: "baseURL：%v",
	}
	msgBadLanguage = msg.Message{
		En: `language %q is not supported: use "zh-CN" or "en"`,
		Zh: `不支持 language = %q：请用 "zh-CN" 或 "en"`,
	}
	msgBadTimezone = msg.Message{
		En: `timezone %q is not a known time zone such as "Asia/Shanghai"`,
		Zh: `timezone 的值 %q 不是已知的时区，应形如 "Asia/Shanghai"`,
	}
	msgBadPaginate = msg.Message{
		En: "paginate must be a positive number of pages per list page",
		Zh: "paginate 应为正整数，即每个列表页显示的条数",
	}
	msgBadMaxConns = msg.Message{
		En: "%s must be a positive number of connections (leave it out for the default)",
		Zh: "%s 应为正整数的连接数（不写则用默认值）",
	}
	msgPerClientOverMax = msg.Message{
		En: "server.max_connections_per_client (%d) is more than server.max_connections (%d)",
		Zh: "server.max_connections_per_client（%d）大于 server.max_connections（%d）",
	}
	msgBadSynonyms = msg.Message{
		En: `search.synonyms %q must be a file in the site's folder, such as "synonyms.txt"`,
		Zh: `search.synonyms 的值 %q 应为网站文件夹中的文件，例如 "synonyms.txt"`,
	}
	msgNotAbsURL = msg.Message{
		En: `%q is not an absolute URL such as "https://example.org/"`,
		Zh: `%q 不是完整网址，应形如 "https://example.org/"`,
	}
	msgURLExtra = msg.Message{
		En: `%q has more than a host and a path such as "https://example.org/cuihu/": no query, fragment, user name, spaces or braces`,
		Zh: `%q 只能包含主机和路径，如 "https://example.org/cuihu/"：不能有查询参数、#片段、用户名、空格或花括号`,
	}
	msgNotDays = msg.Message{
		En: `%q is not a number of days such as "730d"`,
		Zh: `%q 不是天数，应写成 "730d" 这样的形式`,
	}
	msgNotRate = msg.Message{
		En: `%q is not a rate such as "10/10m" (10 submissions per 10 minutes) or "off"`,
		Zh: `%q 不是有效的频率，应写成 "10/10m"（每 10 分钟 10 次）或 "off"`,
	}
	msgNotNetwork = msg.Message{
		En: `%q is not a network such as "10.0.0.0/8" or an address`,
		Zh: `%q 不是网段（如 "10.0.0.0/8"）或 IP 地址`,
	}
	msgSQLitePath = msg.Message{
		En: `%q needs a file path without ? or #, such as "sqlite:.lobby/feedback.db"`,
		Zh: `%q 需要一个不含 ? 或 # 的文件路径，例如 "sqlite:.lobby/feedback.db"`,
	}
	msgPostgresURL = msg.Message{
		En: "the PostgreSQL URL cannot be read: write it as postgres://user@host/database?sslmode=require",
		Zh: "无法识别 PostgreSQL 网址：请写成 postgres://user@host/database?sslmode=require",
	}
	msgStorePassword = msg.Message{
		En: "the PostgreSQL URL holds a password: remove it from the URL and give it in LOBBY_DATABASE_PASSWORD or ~/.pgpass (config.toml is kept in git)",
		Zh: "PostgreSQL 网址中含有密码：请从网址中删去，改用环境变量 LOBBY_DATABASE_PASSWORD 或 ~/.pgpass 提供（config.toml 保存在 git 中）",
	}
	msgStoreScheme = msg.Message{
		En: `%q must start with "sqlite:" or "postgres://"`,
		Zh: `%q 应以 "sqlite:" 或 "postgres://" 开头`,
	}
	msgNotOrigin = msg.Message{
		En: `%q is not an origin such as "https://lobby.example.org": %v`,
		Zh: `%q 不是形如 "https://lobby.example.org" 的源地址：%v`,
	}
	msgOriginUnreadable = msg.Message{En: "it cannot be read as a URL", Zh: "无法识别为网址"}
	msgOriginScheme     = msg.Message{En: "it must start with https:// or http://", Zh: "应以 https:// 或 http:// 开头"}
	msgOriginNoHost     = msg.Message{En: "it has no host", Zh: "缺少主机名"}
	msgOriginUser       = msg.Message{En: "it may not hold a user name or password", Zh: "不能包含用户名或密码"}
	msgOriginPath       = msg.Message{
		En: "give the scheme and host only, without a path: the server answers under baseURL's path",
		Zh: "只写协议和主机，不要路径：服务器按 baseURL 的路径应答",
	}
	msgOriginEmptyPort = msg.Message{En: "it has an empty port", Zh: "端口为空"}
	msgOriginASCII     = msg.Message{
		En: "write the host in ASCII, as its punycode (xn--…) form",
		Zh: "主机名请用 ASCII 写成 punycode（xn--…）形式",
	}
)
