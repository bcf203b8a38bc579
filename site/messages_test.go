package site_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lobby-community/lobby/internal/msg"
	"github.com/lobby-community/lobby/site/sitetest"
)

// goldenCase is one bad input and the exact message it gets in each
// language. The file is content/notices/a.md unless file says otherwise.
type goldenCase struct {
	name string
	file string
	text string
	en   string
	zh   string
}

func runGolden(t *testing.T, tests []goldenCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file, archive := tc.file, config
			if file == "" {
				file = "content/notices/a.md"
			}
			if file == "config.toml" {
				archive = ""
			}
			archive += "-- " + file + " --\n" + tc.text
			for _, want := range []struct {
				lang msg.Lang
				text string
			}{{msg.En, tc.en}, {msg.Zh, tc.zh}} {
				got := sitetest.BuildEIn(t, archive, want.lang)
				if len(got) != 1 || got[0] != want.text {
					t.Errorf("%s:\ngot  %q\nwant %q", want.lang, got, want.text)
				}
			}
		})
	}
}

// Values a key cannot hold get a message that names the key and shows it
// written correctly, not the parser's own words.
func TestValueMessages(t *testing.T) {
	runGolden(t, []goldenCase{
		{
			name: "TOML date with slashes",
			text: "+++\ntitle = \"停水\"\ndate = 2026/01/01 09:00\n+++\n",
			en:   "content/notices/a.md:3:12: date: 2026/01/01 09:00 is not a date: write date = 2026-01-01T09:00:00 (year-month-day, and T before a time)",
			zh:   "content/notices/a.md:3:12: date 的值 2026/01/01 09:00 不是日期格式，请写成 date = 2026-01-01T09:00:00（年-月-日，时间前加 T）",
		},
		{
			name: "TOML month 13",
			text: "+++\ntitle = \"停水\"\ndate = 2026-13-01\n+++\n",
			en:   "content/notices/a.md:3:8: date: 2026-13-01 has no month 13: months run from 01 to 12, as in date = 2026-12-01",
			zh:   "content/notices/a.md:3:8: date 的值 2026-13-01 中没有 13 月：月份是 01 到 12，例如 date = 2026-12-01",
		},
		{
			name: "TOML day 31 of November",
			text: "+++\ntitle = \"停水\"\nexpires = 2026-11-31T18:00:00\n+++\n",
			en:   "content/notices/a.md:3:11: expires: 2026-11-31T18:00:00: month 11 has no day 31; check the date, written as in expires = 2026-11-30",
			zh:   "content/notices/a.md:3:11: expires 的值 2026-11-31T18:00:00 有误：11 月没有 31 日，请核对日期，格式如 expires = 2026-11-30",
		},
		{
			name: "TOML date in quotes",
			text: "+++\ntitle = \"停水\"\ndate = \"2026年1月5日\"\n+++\n",
			en:   "content/notices/a.md:3:9: date: 2026年1月5日 is not a date: write date = 2026-01-05 (year-month-day, and T before a time)",
			zh:   "content/notices/a.md:3:9: date 的值 2026年1月5日 不是日期格式，请写成 date = 2026-01-05（年-月-日，时间前加 T）",
		},
		{
			name: "TOML text without quotes",
			text: "+++\ntitle = 停水通知\n+++\n",
			en:   "content/notices/a.md:2:9: title: text must stand in double quotes: write title = \"停水通知\"",
			zh:   "content/notices/a.md:2:9: title 的文字要放在英文双引号里，请写成 title = \"停水通知\"",
		},
		{
			name: "TOML yes for a boolean",
			text: "+++\ntitle = \"停水\"\npinned = yes\n+++\n",
			en:   "content/notices/a.md:3:10: pinned must be true or false: write pinned = true",
			zh:   "content/notices/a.md:3:10: pinned 只能是 true 或 false，请写成 pinned = true",
		},
		{
			name: "TOML text for a list",
			text: "+++\ntitle = \"停水\"\ntags = \"垃圾分类，环保\"\n+++\n",
			en:   "content/notices/a.md:3:1: tags must be a list: write tags = [\"垃圾分类\", \"环保\"]",
			zh:   "content/notices/a.md:3:1: tags 应为列表，请写成 tags = [\"垃圾分类\", \"环保\"]",
		},
		{
			name: "TOML unclosed quote",
			text: "+++\ntitle = \"停水\nurgency = \"urgent\"\n+++\n",
			en:   "content/notices/a.md:2:12: title: the text has no closing quote: write title = \"停水\" on one line",
			zh:   "content/notices/a.md:2:12: title 的文字缺少右引号，请在同一行写成 title = \"停水\"",
		},
		{
			name: "TOML key set twice",
			text: "+++\ntitle = \"停水\"\ntitle = \"停电\"\n+++\n",
			en:   "content/notices/a.md:3:1: title is set twice: keep one",
			zh:   "content/notices/a.md:3:1: title 设置了两次，请只保留一个",
		},
		{
			name: "YAML text for a list",
			text: "---\ntitle: 停水\ntags: 垃圾分类\n---\n",
			en:   "content/notices/a.md:3:7: tags must be a list: write tags: [垃圾分类]",
			zh:   "content/notices/a.md:3:7: tags 应为列表，请写成 tags: [垃圾分类]",
		},
		{
			name: "YAML yes for a boolean",
			text: "---\ntitle: 停水\ndraft: yes\n---\n",
			en:   "content/notices/a.md:3:8: draft must be true or false: write draft: true",
			zh:   "content/notices/a.md:3:8: draft 只能是 true 或 false，请写成 draft: true",
		},
		{
			name: "YAML date with slashes",
			text: "---\ntitle: 停水\ndate: 2026/01/01 09:00\n---\n",
			en:   "content/notices/a.md:3:7: date: 2026/01/01 09:00 is not a date: write date: 2026-01-01T09:00:00 (year-month-day, and T before a time)",
			zh:   "content/notices/a.md:3:7: date 的值 2026/01/01 09:00 不是日期格式，请写成 date: 2026-01-01T09:00:00（年-月-日，时间前加 T）",
		},
		{
			name: "TOML amount without quotes",
			file: "content/fees/q3.md",
			text: "+++\ntitle = \"三季度\"\nperiod = \"2026-Q3\"\n[[income]]\nitem = \"物业费\"\namount = 567.50\n+++\n",
			en:   "content/fees/q3.md:6:10: amount: 567.50 is a floating-point number, which can lose cents: write it in quotes, amount = \"567.50\"",
			zh:   "content/fees/q3.md:6:10: amount 的值 567.50 是浮点数，可能丢失分位：请加引号写成 amount = \"567.50\"",
		},
		{
			name: "YAML misspelt key",
			text: "---\ntitle: 停水\nurgncy: urgent\n---\n",
			en:   "content/notices/a.md:3:1: unknown front matter key \"urgncy\" (did you mean \"urgency\"?); put your own keys under params:",
			zh:   "content/notices/a.md:3:1: 未知的 front matter 键 \"urgncy\"（是不是 \"urgency\"？）；自定义的键请放在 params: 下",
		},
		{
			name: "TOML misspelt key",
			text: "+++\ntitle = \"停水\"\nexpirse = 2026-12-01\n+++\n",
			en:   "content/notices/a.md:3:1: unknown front matter key \"expirse\" (did you mean \"expires\"?); put your own keys under [params]",
			zh:   "content/notices/a.md:3:1: 未知的 front matter 键 \"expirse\"（是不是 \"expires\"？）；自定义的键请放在 [params] 下",
		},
		{
			name: "config text where a number goes",
			file: "config.toml",
			text: "title = \"x\"\nbaseURL = \"https://example.org/\"\npaginate = ten\n",
			en:   "config.toml:3:12: paginate must be a whole number: write paginate = 10",
			zh:   "config.toml:3:12: paginate 应为整数，请写成 paginate = 10",
		},
	})
}

// A file saved as GBK by a Windows editor gets a message that names the
// encoding and how to save the file as UTF-8; it is not converted.
func TestGBKFileIsNamed(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", "encoding", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	const gbkEn = "the file is not UTF-8 but looks like GBK/GB18030 (what Chinese Windows editors call ANSI): open it and save it as UTF-8 (in Notepad: File > Save As > Encoding: UTF-8; in VS Code: click GBK in the status bar, Save with Encoding, UTF-8)"
	const gbkZh = "文件不是 UTF-8 编码，看起来是 GBK/GB18030 编码（中文 Windows 编辑器中的 ANSI）：请打开文件另存为 UTF-8（记事本：文件 > 另存为 > 编码选 UTF-8；VS Code：点状态栏的 GBK，选“通过编码保存”，再选 UTF-8）"
	tests := []struct {
		name    string
		archive string
		en, zh  string
	}{
		{
			name:    "GBK content file",
			archive: config + "-- content/notices/停水.md --\n" + read("gbk-notice.md"),
			en:      "content/notices/停水.md:6:1: " + gbkEn,
			zh:      "content/notices/停水.md:6:1: " + gbkZh,
		},
		{
			name:    "GB18030 config.toml",
			archive: "-- config.toml --\n" + read("gbk-config.toml"),
			en:      "config.toml:1:10: " + gbkEn,
			zh:      "config.toml:1:10: " + gbkZh,
		},
		{
			name:    "Latin-1 is not taken for GBK",
			archive: config + "-- content/notices/cafe.md --\n" + read("latin1-notice.md"),
			en:      "content/notices/cafe.md:2:13: invalid UTF-8 (byte 0xe9): save the file as UTF-8",
			zh:      "content/notices/cafe.md:2:13: 不是有效的 UTF-8 编码（字节 0xe9）：请把文件另存为 UTF-8 编码",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := sitetest.BuildEIn(t, tc.archive, msg.En); len(got) != 1 || got[0] != tc.en {
				t.Errorf("en:\ngot  %q\nwant %q", got, tc.en)
			}
			if got := sitetest.BuildEIn(t, tc.archive, msg.Zh); len(got) != 1 || got[0] != tc.zh {
				t.Errorf("zh-CN:\ngot  %q\nwant %q", got, tc.zh)
			}
		})
	}
}
