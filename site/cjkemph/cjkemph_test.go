package cjkemph

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

func render(t testing.TB, md goldmark.Markdown, src string) string {
	t.Helper()
	var b bytes.Buffer
	if err := md.Convert([]byte(src), &b); err != nil {
		t.Fatalf("Convert(%q): %v", src, err)
	}
	return b.String()
}

type example struct {
	name, markdown, html string
}

func runExamples(t *testing.T, md goldmark.Markdown, examples []example) {
	t.Helper()
	for _, e := range examples {
		t.Run(e.name, func(t *testing.T) {
			got := strings.TrimSuffix(render(t, md, e.markdown), "\n")
			if got != e.html {
				t.Errorf("markdown: %q\n got: %s\nwant: %s", e.markdown, got, e.html)
			}
		})
	}
}

// The examples come from the amendment's test cases
// (markdown-cjk-friendly testcases/*.md and the expected output of its
// reference implementations); a few more cover the cases this project
// cares about.
var emphasisExamples = []example{
	// Chinese
	{"zh/closing after fullwidth colon", "**重要通知：**请按时缴费", "<p><strong>重要通知：</strong>请按时缴费</p>"},
	{"zh/curly quotes inside", "这是**“引号”**的例子", "<p>这是<strong>“引号”</strong>的例子</p>"},
	{"zh/em", "*强调*文字", "<p><em>强调</em>文字</p>"},
	{"zh/em after punctuation", "*注意：*请按时缴费", "<p><em>注意：</em>请按时缴费</p>"},
	{"zh/readme", "**该星号不会被识别，而是直接显示。**这是因为它没有被识别为强调符号。", "<p><strong>该星号不会被识别，而是直接显示。</strong>这是因为它没有被识别为强调符号。</p>"},
	{"zh/before latin", "**推荐几个框架：**React、Vue等前端框架。", "<p><strong>推荐几个框架：</strong>React、Vue等前端框架。</p>"},
	{"zh/fullwidth parentheses after latin", "Git**（注：不是GitHub）**", "<p>Git<strong>（注：不是GitHub）</strong></p>"},
	{"zh/code span", "我可以强调**这个`code`**吗（Can I emphasize **this `code`**）？", "<p>我可以强调<strong>这个<code>code</code></strong>吗（Can I emphasize <strong>this <code>code</code></strong>）？</p>"},
	{"zh/opening before bracket", "真**（她**", "<p>真<strong>（她</strong></p>"},
	{"zh/closing after right curly quote", "**真”**她", "<p><strong>真”</strong>她</p>"},
	{"zh/closing after ascii hyphen", "**真-**她", "<p><strong>真-</strong>她</p>"},
	{"zh/closing before space", "**真，** 她", "<p><strong>真，</strong> 她</p>"},
	{"zh/closing before comma", "**真**，她", "<p><strong>真</strong>，她</p>"},
	{"zh/non-BMP ideographs", "𰻞𰻞**（ビャンビャン）**麺", "<p>𰻞𰻞<strong>（ビャンビャン）</strong>麺</p>"},

	// Japanese
	{"ja/closing after ideographic full stop", "これは**私のやりたかったこと。**だからするの。", "<p>これは<strong>私のやりたかったこと。</strong>だからするの。</p>"},
	{"ja/links", "**[製品ほげ](./product-foo)**と**[製品ふが](./product-bar)**をお試しください", `<p><strong><a href="./product-foo">製品ほげ</a></strong>と<strong><a href="./product-bar">製品ふが</a></strong>をお試しください</p>`},
	{"ja/brackets", "カッコに注意**（太字にならない）**文が続く場合に要警戒。", "<p>カッコに注意<strong>（太字にならない）</strong>文が続く場合に要警戒。</p>"},
	{"ja/yen sign", "税込**¥10,000**で入手できます。", "<p>税込<strong>¥10,000</strong>で入手できます。</p>"},
	{"ja/ascii quotes", `太郎は**"Hello"**といった`, "<p>太郎は<strong>&quot;Hello&quot;</strong>といった</p>"},
	{"ja/several", "**C#**や**F#**は**「.NET」**というプラットフォーム上で動作します。", "<p><strong>C#</strong>や<strong>F#</strong>は<strong>「.NET」</strong>というプラットフォーム上で動作します。</p>"},
	{"ja/circled katakana", "・**㋐**:選択肢１つ目", "<p>・<strong>㋐</strong>:選択肢１つ目</p>"},
	{"ja/vertical ellipsis", "**さようなら︙**と太郎はいった。", "<p><strong>さようなら︙</strong>と太郎はいった。</p>"},
	{"ja/hentaigana", "あ𛀙**(か)**よろし", "<p>あ𛀙<strong>(か)</strong>よろし</p>"},
	{"ja/ideographic variation selector", "禰\U000E0100**(こちらが正式表記)**豆子", "<p>禰\U000E0100<strong>(こちらが正式表記)</strong>豆子</p>"},
	{"ja/standardized variation selector", "大塚\uFE00**(U+585A U+FE00)** 大\uFA10**(U+FA10)**", "<p>大塚\uFE00<strong>(U+585A U+FE00)</strong> 大\uFA10<strong>(U+FA10)</strong></p>"},
	{"ja/text presentation selector", "〽\uFE0E**(庵点)**は、", "<p>〽\uFE0E<strong>(庵点)</strong>は、</p>"},
	{"ja/fullwidth quote sequence", "**“\uFE01Git”\uFE01**Hub", "<p><strong>“\uFE01Git”\uFE01</strong>Hub</p>"},
	{"ja/pseudo-emoji wavy dash", "a**〰**a", "<p>a<strong>〰</strong>a</p>"},
	{"ja/pseudo-emoji squared katakana", "a**🈂**a", "<p>a<strong>🈂</strong>a</p>"},
	{"ja/pseudo-emoji circled ideograph", "a**㊗\uFE0Ea**a", "<p>a<strong>㊗\uFE0Ea</strong>a</p>"},

	// Korean
	{"ko/parentheses", "**이 용어(This term)**를 강조해 주세요. (Please emphasize **this term**.)", "<p><strong>이 용어(This term)</strong>를 강조해 주세요. (Please emphasize <strong>this term</strong>.)</p>"},
	{"ko/code span", "패키지를 발행하려면 **`npm publish`**를 실행하십시오.", "<p>패키지를 발행하려면 <strong><code>npm publish</code></strong>를 실행하십시오.</p>"},
	{"ko/syllables", "**안녕(hello)**하세요.", "<p><strong>안녕(hello)</strong>하세요.</p>"},
	{"ko/jamo before", "ᅡ**(a)**", "<p>ᅡ<strong>(a)</strong></p>"},
	{"ko/jamo after", "**(k)**ᄏ", "<p><strong>(k)</strong>ᄏ</p>"},

	// Underscores: CJK punctuation no longer blocks them, but they still
	// never open or close inside a run of letters.
	{"_/strong before colon", "__注意__：注意事項", "<p><strong>注意</strong>：注意事項</p>"},
	{"_/strong after colon", "注意：__注意事項__", "<p>注意：<strong>注意事項</strong></p>"},
	{"_/em after punctuation sequence", "正體字。\uFE01_Traditional._", "<p>正體字。\uFE01<em>Traditional.</em></p>"},
	{"_/strong after punctuation sequence", "简体字 / 新字体。\uFE00__Mainland China or Japan.__", "<p>简体字 / 新字体。\uFE00<strong>Mainland China or Japan.</strong></p>"},
	{"_/after fullwidth quote sequence", "“\uFE01Git”\uFE01__Hub__", "<p>“\uFE01Git”\uFE01<strong>Hub</strong></p>"},
	{"_/intraword stays literal", "中_文_字", "<p>中_文_字</p>"},
	{"_/intraword strong stays literal", "中文__强调__中文", "<p>中文__强调__中文</p>"},

	// Nesting
	{"nested/em in strong", "**重要：*请注意*。**请按时缴费", "<p><strong>重要：<em>请注意</em>。</strong>请按时缴费</p>"},
	{"nested/triple", "***重要：***请", "<p><em><strong>重要：</strong></em>请</p>"},
	{"nested/underscore in asterisks", "**注意：__停水__。**", "<p><strong>注意：<strong>停水</strong>。</strong></p>"},

	// Cases that must stay literal
	{"literal/space after opener", "** 通知**", "<p>** 通知**</p>"},
	{"literal/space before closer", "**通知 **啊", "<p>**通知 **啊</p>"},
	{"literal/latin guillemet", "a**a«**a", "<p>a**a«**a</p>"},
	{"literal/latin guillemet opening", "a**»a**a", "<p>a**»a**a</p>"},
	{"literal/non-BMP math symbol", "a**𝜵a**a", "<p>a**𝜵a**a</p>"},
	{"literal/non-BMP punctuation", "a**a𐬻**a", "<p>a**a𐬻**a</p>"},
	{"literal/emoji is not CJK", "a**🈯a**a", "<p>a**🈯a**a</p>"},
	{"literal/wide emoji is not CJK", "a**a⭕**a", "<p>a**a⭕**a</p>"},
	{"literal/emoji with text selector", "a**a❌\uFE0E**a", "<p>a**a❌\uFE0E**a</p>"},
}

func TestEmphasis(t *testing.T) {
	md := goldmark.New(goldmark.WithExtensions(Extension))
	runExamples(t, md, emphasisExamples)
}

// TestCommonMarkFails shows the problem the extension solves: plain
// goldmark leaves these runs as text.
func TestCommonMarkFails(t *testing.T) {
	md := goldmark.New()
	for _, src := range []string{
		"**重要通知：**请按时缴费",
		"这是**“引号”**的例子",
		"カッコに注意**（太字にならない）**文が続く場合に要警戒。",
		"**이 용어(This term)**를 강조해 주세요.",
		"正體字。\uFE01_Traditional._",
	} {
		if got := render(t, md, src); strings.Contains(got, "<strong>") {
			t.Errorf("plain goldmark emphasizes %q: %s", src, got)
		}
	}
}

var strikethroughExamples = []example{
	{"closing before kana", "a~~a()~~あ", "<p>a<del>a()</del>あ</p>"},
	{"opening after kana", "あ~~()a~~a", "<p>あ<del>()a</del>a</p>"},
	{"opening after non-BMP ideograph", "𩸽~~()a~~a", "<p>𩸽<del>()a</del>a</p>"},
	{"closing before non-BMP ideograph", "a~~a()~~𩸽", "<p>a<del>a()</del>𩸽</p>"},
	{"opening after ideographic variation selector", "葛\U000E0100~~()a~~a", "<p>葛\U000E0100<del>()a</del>a</p>"},
	{"opening after standardized variation selector", "羽\uFE00~~()a~~a", "<p>羽\uFE00<del>()a</del>a</p>"},
	{"opening before CJK bracket", "a~~「a~~」", "<p>a<del>「a</del>」</p>"},
	{"closing after CJK bracket", "「~~a」~~a", "<p>「<del>a」</del>a</p>"},
	{"around fullwidth colon", "~~a~~：~~a~~", "<p><del>a</del>：<del>a</del></p>"},
	{"notice", "~~删除：~~请", "<p><del>删除：</del>请</p>"},
	{"single tilde", "~旧：~新", "<p><del>旧：</del>新</p>"},
	{"three tildes stay literal", "a~~~「a~~~」", "<p>a~~~「a~~~」</p>"},
	{"latin stays literal", "a~~()a~~a", "<p>a~~()a~~a</p>"},
}

func TestStrikethrough(t *testing.T) {
	for _, order := range []struct {
		name string
		exts []goldmark.Extender
	}{
		{"after GFM", []goldmark.Extender{extension.Strikethrough, New(WithStrikethrough())}},
		{"before GFM", []goldmark.Extender{New(WithStrikethrough()), extension.Strikethrough}},
	} {
		t.Run(order.name, func(t *testing.T) {
			runExamples(t, goldmark.New(goldmark.WithExtensions(order.exts...)), strikethroughExamples)
		})
	}
}

func TestStrikethroughIsOptIn(t *testing.T) {
	md := goldmark.New(goldmark.WithExtensions(Extension))
	if got, want := render(t, md, "~~删除：~~请"), "<p>~~删除：~~请</p>\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestCharacterClasses(t *testing.T) {
	for _, r := range []rune{
		'中', 'あ', 'ア', 'ｱ', '한', 'ᄀ', 'ᅡ', 'ᄏ', '。', '：', '（', '」', '︙', '￥', '々',
		'〰', '〽', '🈂', '🈷', '㊗', '㊙', // emoji that default to text presentation
		'𠮟', '𰻞', '𛀙', '\U0002FFFD', '\U0003FFFD', // supplementary planes
		'\u3400', '\u4DBF', '\u9FFF', // unassigned code points of CJK blocks are wide
	} {
		if !isCJK(r) {
			t.Errorf("isCJK(%U %c) = false, want true", r, r)
		}
	}
	for _, r := range []rune{
		'a', 'é', 'Я', '«', '¥', '“', '”', '’', '-', '·', '—', '…', '∇', '𝜵', '𐬻',
		'🈯', '⭕', '❌', '😀', '\uFE00', '\uFE0F', '\U000E0100', '\uFFFD',
	} {
		if isCJK(r) {
			t.Errorf("isCJK(%U %c) = true, want false", r, r)
		}
	}
	for _, q := range []rune{'‘', '’', '“', '”'} {
		if !isFullwidthPunct(q, 0xFE01) || isFullwidthPunct(q, 0xFE00) {
			t.Errorf("%c: only U+FE01 makes a fullwidth form", q)
		}
	}
}
