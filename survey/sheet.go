package survey

import (
	"html/template"
	"io"
	"strings"
)

// Slip is one household's slip on the printed sheet of codes.
type Slip struct {
	Unit string
	Code string
	// URL opens the survey with the code filled in; QR is an SVG image of
	// a QR code of it.
	URL string
	QR  template.HTML
}

// Sheet is a printable A4 sheet of slips, to cut apart and put in
// letterboxes.
type Sheet struct {
	Lang   string
	Site   string // the site's title
	Title  string // the survey's title
	Closes string // when the survey closes, as residents read it
	Page   string // the survey page's absolute URL, for typing the code in
	Slips  []Slip
}

// WriteSheet writes the sheet as a standalone HTML page that prints as
// A4: eight slips a page, each with the unit, the code and its QR code.
func WriteSheet(w io.Writer, s Sheet) error {
	zh := strings.HasPrefix(s.Lang, "zh") || s.Lang == ""
	t := func(c, e string) string {
		if zh {
			return c
		}
		return e
	}
	data := map[string]any{
		"S": s, "Lang": s.Lang,
		"Unit":  t("房号", "Unit"),
		"Code":  t("住户码", "Household code"),
		"Scan":  t("用手机扫码即可填写，住户码已自动填好。", "Scan with your phone: the survey opens with your code filled in."),
		"Or":    t("或打开网址并输入住户码：", "Or open this address and type the code:"),
		"Until": t("截止：", "Closes:"),
		"Once":  t("每户一份；截止前重新填写会替换之前的回答。请妥善保管，勿交他人。", "One answer per household; answering again before it closes replaces the earlier answer. Keep this slip to yourself."),
	}
	return sheetTemplate.Execute(w, data)
}

var sheetTemplate = template.Must(template.New("sheet").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<title>{{.S.Title}} · {{.Code}}</title>
<style>
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #000; }
.slips { display: grid; grid-template-columns: 1fr 1fr; gap: 0; }
.slip { height: 68mm; padding: 4mm 5mm; border: 1px dashed #666; display: flex; gap: 4mm; break-inside: avoid; page-break-inside: avoid; }
.slip:nth-child(8n+1) { break-before: page; }
.slip:first-child { break-before: auto; }
.qr { flex: 0 0 30mm; }
.qr svg { width: 30mm; height: 30mm; display: block; }
.text { flex: 1; min-width: 0; font-size: 9pt; line-height: 1.35; }
.site { margin: 0; font-size: 8pt; }
.title { margin: 1mm 0 2mm; font-size: 10.5pt; font-weight: 700; }
.unit { margin: 0; font-size: 10pt; }
.code { margin: 1mm 0 2mm; font: 700 15pt/1.2 ui-monospace, "DejaVu Sans Mono", monospace; letter-spacing: .06em; }
.url { word-break: break-all; font-size: 7.5pt; }
p { margin: 0 0 1mm; }
</style>
</head>
<body>
<main class="slips">
{{range .S.Slips}}<section class="slip">
<div class="qr">{{.QR}}</div>
<div class="text">
<p class="site">{{$.S.Site}}</p>
<p class="title">{{$.S.Title}}</p>
<p class="unit">{{$.Unit}}：<strong>{{.Unit}}</strong></p>
<p class="code" aria-label="{{$.Code}}">{{.Code}}</p>
<p>{{$.Scan}}</p>
<p>{{$.Or}}<span class="url">{{$.S.Page}}</span></p>
{{with $.S.Closes}}<p>{{$.Until}}{{.}}</p>{{end}}
<p>{{$.Once}}</p>
</div>
</section>
{{end}}</main>
</body>
</html>
`))
