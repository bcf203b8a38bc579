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

// Messages about content files and front matter.
var (
	msgCannotWrite = msg.Message{
		En: "cannot write %s: %v",
		Zh: "无法写入 %s：%v",
	}
	msgBadSymlink = msg.Message{
		En: "symbolic link is absolute, leads outside the site or nowhere: links are not followed",
		Zh: "符号链接是绝对路径、指向网站之外或指向不存在的文件：lobby 不跟随这样的链接",
	}
	msgFileTooLarge = msg.Message{
		En: "file too large (%d MB): content files may be at most %d MB",
		Zh: "文件太大（%d MB）：内容文件最大 %d MB",
	}
	msgNoFrontMatter = msg.Message{
		En: `no front matter: start the file with a "+++" line (TOML) or a "---" line (YAML), then title = "…"`,
		Zh: `没有 front matter：文件第一行应为 "+++"（TOML）或 "---"（YAML），下面写 title = "…"`,
	}
	msgFrontMatterOpen = msg.Message{
		En: "front matter is not closed: add a %q line after it",
		Zh: "front matter 没有结束：请在它后面加一行 %q",
	}
	msgFrontMatterTooLarge = msg.Message{
		En: "front matter is %d KB: it may be at most %d KB; put long text in the body",
		Zh: "front matter 有 %d KB，最多 %d KB：长文字请写在正文里",
	}
	msgTooDeep = msg.Message{
		En: "front matter nests more than %d levels deep here",
		Zh: "front matter 在这里嵌套超过 %d 层",
	}
	msgYAMLAlias = msg.Message{
		En: "YAML alias *%s: aliases are not allowed in front matter; write the value out",
		Zh: "YAML 别名 *%s：front matter 中不能用别名，请把值完整写出",
	}
	msgBlocksTooDeep = msg.Message{
		En: "lists and block quotes nest more than %d levels deep here",
		Zh: "列表和引用块在这里嵌套超过 %d 层",
	}
	msgSectionKey = msg.Message{
		En: "%q is a key of pages in %s/, not here",
		Zh: "%q 是 %s/ 中页面的键，不能用在这里",
	}
	msgPageTitleRequired = msg.Message{
		En: `title is required: add title = "…" to the front matter`,
		Zh: `缺少 title：请在 front matter 中加上 title = "…"`,
	}
	msgTimeOfDayOnly = msg.Message{
		En: "a time of day alone is not a date: write a date such as 2026-12-01T09:00:00",
		Zh: "只有时间没有日期：请写成 2026-12-01T09:00:00 这样的日期",
	}
	msgSlugElement = msg.Message{
		En: "slug %q must be one path element, without / or ..",
		Zh: "slug %q 只能是一段路径，不能含 / 或 ..",
	}
	msgNoSlug = msg.Message{
		En: "the page has no usable slug: name the file with letters or digits, or set slug",
		Zh: "这个页面没有可用的 slug：请用文字或数字命名文件，或设置 slug",
	}
	msgHomeSlug = msg.Message{
		En: "the home page cannot have a slug",
		Zh: "首页不能设置 slug",
	}
	msgBadAlias = msg.Message{
		En: `alias %q must be a site path such as "/old/path/"`,
		Zh: `别名 %q 应为站内路径，如 "/old/path/"`,
	}
	msgTagNoLetters = msg.Message{
		En: "tag %q has no letters or digits",
		Zh: "标签 %q 中没有文字或数字",
	}
	msgBadUrgency = msg.Message{
		En: "urgency %q is not one of info, important, urgent",
		Zh: "urgency 的值 %q 无效：只能是 info、important 或 urgent",
	}
	msgEventStart = msg.Message{
		En: "an event needs start = 2026-12-01T09:00:00 (its date and time)",
		Zh: "活动需要 start = 2026-12-01T09:00:00（活动的日期和时间）",
	}
	msgEndBeforeStart = msg.Message{
		En: "end (%s) is before start (%s)",
		Zh: "end（%s）早于 start（%s）",
	}
	msgSameURL = msg.Message{
		En: "URL %s is also the URL of %s: give one of them another slug",
		Zh: "网址 %s 也是 %s 的网址：请给其中一个换个 slug",
	}
	msgSameTagURL = msg.Message{
		En: "tag %q has the same URL %s as tag %q of %s: use one spelling",
		Zh: "标签 %[1]q 与 %[4]s 的标签 %[3]q 网址相同（%[2]s）：请统一写法",
	}
	msgOutputClash = msg.Message{
		En: "%s would be %s, the name of %s: change its slug or folder name",
		Zh: "%s 会生成 %s，与 %s 重名：请修改它的 slug 或文件夹名",
	}
	msgStaticClash = msg.Message{
		En: "%s is the name of %s: remove it from static/",
		Zh: "%s 与 %s 重名：请从 static/ 中删除它",
	}
	msgNoContentFile = msg.Message{
		En: "link to %s: no such content file",
		Zh: "链接 %s 指向的内容文件不存在",
	}
	msgNoPageRoot = msg.Message{
		En: "link to %s: no such page or file (a link that starts with / starts at the site's root: write /%s)",
		Zh: "链接 %s 指向的页面或文件不存在（以 / 开头的链接从网站根目录算起：请写成 /%s）",
	}
	msgNoPage = msg.Message{
		En: "link to %s: no such page or file",
		Zh: "链接 %s 指向的页面或文件不存在",
	}
	msgNoHeading = msg.Message{
		En: "link to %s#%s: %s has no heading with id %q",
		Zh: "链接 %s#%s：%s 中没有 id 为 %q 的标题",
	}
	msgFeeNoAmount = msg.Message{
		En: "%s item %d (%q) has no amount",
		Zh: "%s 第 %d 项（%q）没有金额",
	}
	msgFeeTotalRequired = msg.Message{
		En: "%s is required in a fee disclosure (%v: %s)",
		Zh: "财务公开需要 %s（%v：%s）",
	}
	msgFeeTotalDiffers = msg.Message{
		En: "%s is %s but %v add up to %s",
		Zh: "%s 为 %s，但%v合计为 %s",
	}
	msgIncomeItems  = msg.Message{En: "the income items", Zh: "各项收入"}
	msgExpenseItems = msg.Message{En: "the expense items", Zh: "各项支出"}
	msgFundDiffers  = msg.Message{
		En: "fund closing is %s but opening + income − expense is %s",
		Zh: "fund 的 closing（期末余额）为 %s，但 opening + 收入 − 支出 = %s",
	}
	msgFeePeriod = msg.Message{
		En: "period is required in a fee disclosure, such as period = %q",
		Zh: "财务公开需要 period，例如 period = %q",
	}
)

// Messages of lobby new, lobby check and the build's summary.
var (
	msgUnknownKind = msg.Message{
		En: "unknown kind %q: use notice, event, newsletter, fee, handbook, survey or page",
		Zh: "没有 %q 这种页面：请用 notice、event、newsletter、fee、handbook、survey 或 page",
	}
	msgNewNeedsTitle = msg.Message{
		En: "a page needs a title",
		Zh: "页面需要标题",
	}
	msgTitleNoLetters = msg.Message{
		En: "title %q has no letters or digits to name the file by",
		Zh: "标题 %q 中没有可用来命名文件的文字或数字",
	}
	msgStaticNoOrigin = msg.Message{
		En: "no [server] origin: on a static host the pages have no search box, feedback form or status link, and offer the office's telephone and e-mail instead; set origin to a lobby server to answer them",
		Zh: "没有设置 [server] origin：放在静态主机上的页面没有搜索框、意见表单和进度查询，只显示物业电话和邮箱；请把 origin 设为一台 lobby 服务器来提供这些功能",
	}
	msgStaticNoOriginNoContact = msg.Message{
		En: "no [server] origin: on a static host the pages have no search box, feedback form or status link, and offer the office's telephone and e-mail instead; set origin to a lobby server to answer them (and [office] has no hotline, repairs or email either: residents find no way to reach the office)",
		Zh: "没有设置 [server] origin：放在静态主机上的页面没有搜索框、意见表单和进度查询，只显示物业电话和邮箱；请把 origin 设为一台 lobby 服务器来提供这些功能（而 [office] 也没有 hotline、repairs 或 email：居民找不到联系物业的方式）",
	}
	msgPinnedExpired = msg.Message{
		En: "pinned notice expired at %s: unpin or remove it",
		Zh: "置顶通知已于 %s 过期：请取消置顶或删除",
	}
	msgExpiresSoon = msg.Message{
		En: "notice expires within 24 hours, at %s",
		Zh: "通知将在 24 小时内过期，时间为 %s",
	}
	msgSummary = msg.Message{
		En: "built %d pages (%s), %d files in %s",
		Zh: "已生成 %d 个页面（%s），共 %d 个文件，用时 %s",
	}
)
