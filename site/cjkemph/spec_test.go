package cjkemph

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/testutil"
)

// goldmarkDir returns the directory of the goldmark module in use, whose
// _test folders hold the CommonMark and GFM example files.
func goldmarkDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/yuin/goldmark").Output()
	if err != nil {
		t.Fatalf("locating goldmark: %v", err)
	}
	return strings.TrimSpace(string(out))
}

type specExample struct {
	Markdown string `json:"markdown"`
	HTML     string `json:"html"`
	Example  int    `json:"example"`
	Section  string `json:"section"`
}

// TestCommonMarkSpec renders every CommonMark spec example with and without
// the extension: none of them has CJK text, so the output must not change.
func TestCommonMarkSpec(t *testing.T) {
	bs, err := os.ReadFile(filepath.Join(goldmarkDir(t), "_test", "spec.json"))
	if err != nil {
		t.Fatal(err)
	}
	var examples []specExample
	if err := json.Unmarshal(bs, &examples); err != nil {
		t.Fatal(err)
	}
	opts := []goldmark.Option{goldmark.WithRendererOptions(html.WithXHTML(), html.WithUnsafe())}
	plain := goldmark.New(opts...)
	cjk := goldmark.New(append(opts, goldmark.WithExtensions(Extension))...)

	emphasis := 0
	for _, e := range examples {
		if e.Section == "Emphasis and strong emphasis" {
			emphasis++
			// goldmark itself passes these; so must we.
			if got := render(t, cjk, e.Markdown); got != e.HTML {
				t.Errorf("example %d: %q\n got: %q\nwant: %q", e.Example, e.Markdown, got, e.HTML)
			}
		}
		if got, want := render(t, cjk, e.Markdown), render(t, plain, e.Markdown); got != want {
			t.Errorf("example %d (%s): %q\n got: %q\nwant: %q", e.Example, e.Section, e.Markdown, got, want)
		}
	}
	// The emphasis section of CommonMark 0.31.2 has 132 examples; fewer
	// means the file was not the one we expect.
	if emphasis < 132 {
		t.Errorf("found %d emphasis examples, want at least 132", emphasis)
	}
	t.Logf("%d examples, %d of them emphasis", len(examples), emphasis)
}

// TestGFMStrikethroughSpec runs goldmark's strikethrough examples with the
// amended strikethrough parser.
func TestGFMStrikethroughSpec(t *testing.T) {
	md := goldmark.New(
		goldmark.WithRendererOptions(html.WithUnsafe()),
		goldmark.WithExtensions(extension.Strikethrough, New(WithStrikethrough())),
	)
	testutil.DoTestCaseFile(md, filepath.Join(goldmarkDir(t), "extension", "_test", "strikethrough.txt"), t)
}

// TestFullConfiguration renders one document through the configuration the
// site uses: GFM, CJK and footnotes together with this extension, in
// either order.
func TestFullConfiguration(t *testing.T) {
	const src = "# 小区通知\n" +
		"\n" +
		"**重要通知：**请按时缴费[^1]。\n" +
		"\n" +
		"| 项目 | 说明 |\n" +
		"| --- | --- |\n" +
		"| 水费 | **每月：**十五日前 |\n" +
		"\n" +
		"- [x] ~~已完成：~~请忽略\n" +
		"- [ ] 详见 https://example.com/ 网站\n" +
		"\n" +
		"**行尾的**软换行\n" +
		"会被忽略\n" +
		"\n" +
		"a\\ **()**\\ a𩸽**()**𩸽\n" +
		"\n" +
		"[^1]: ~~旧规定~~见**“新规定”**的说明。\n"
	const want = "<h1>小区通知</h1>\n" +
		`<p><strong>重要通知：</strong>请按时缴费<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>。</p>` + "\n" +
		"<table>\n<thead>\n<tr>\n<th>项目</th>\n<th>说明</th>\n</tr>\n</thead>\n" +
		"<tbody>\n<tr>\n<td>水费</td>\n<td><strong>每月：</strong>十五日前</td>\n</tr>\n</tbody>\n</table>\n" +
		"<ul>\n" +
		`<li><input checked="" disabled="" type="checkbox" /> <del>已完成：</del>请忽略</li>` + "\n" +
		`<li><input disabled="" type="checkbox" /> 详见 <a href="https://example.com/">https://example.com/</a> 网站</li>` + "\n" +
		"</ul>\n" +
		"<p><strong>行尾的</strong>软换行会被忽略</p>\n" +
		"<p>a<strong>()</strong>a𩸽<strong>()</strong>𩸽</p>\n" +
		`<div class="footnotes" role="doc-endnotes">` + "\n<hr />\n<ol>\n" +
		`<li id="fn:1">` + "\n" +
		`<p><del>旧规定</del>见<strong>“新规定”</strong>的说明。&#160;<a href="#fnref:1" class="footnote-backref" role="doc-backlink">&#x21a9;&#xfe0e;</a></p>` + "\n" +
		"</li>\n</ol>\n</div>\n"

	for i, exts := range [][]goldmark.Extender{
		{extension.GFM, extension.CJK, extension.Footnote, New(WithStrikethrough())},
		{New(WithStrikethrough()), extension.GFM, extension.CJK, extension.Footnote},
	} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			md := goldmark.New(
				goldmark.WithRendererOptions(html.WithXHTML()),
				goldmark.WithExtensions(exts...),
			)
			if got := render(t, md, src); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
