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
