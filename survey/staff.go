package survey

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"
	"time"
)

// StaffHandler serves the staff workspace's survey pages: GET
// /staff/surveys/SLUG/, the live tallies of the answers so far (every
// count, small ones too: staff see what the store holds), and GET
// /staff/surveys/SLUG/export.csv, every answer as WriteCSV writes it. The
// caller puts it behind the staff login (feedback.Handler.StaffPagesOnly).
// GET /staff/surveys/ lists the surveys that list gives, so that staff
// find their tallies from the workspace's menu.
func (h *Handler) StaffHandler(loc *time.Location, list func() []Target) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /staff/surveys/{$}", func(w http.ResponseWriter, r *http.Request) {
		tr := h.staffText
		states := map[State]string{Upcoming: tr("未开始", "not yet open"), Open: tr("进行中", "open"), Closed: tr("已结束", "closed")}
		type row struct{ Title, Slug, State string }
		var rows []row
		for _, t := range list() {
			rows = append(rows, row{t.Survey.Title, t.Survey.Slug, states[t.Survey.StateAt(h.now())]})
		}
		var buf bytes.Buffer
		err := staffListTemplate.Execute(&buf, map[string]any{
			"Lang": h.cfg.Language, "Rows": rows,
			"Heading": tr("问卷调查", "Surveys"), "None": tr("站点还没有问卷。", "The site has no surveys yet."),
			"Back": tr("返回工作台", "Back to the workspace"),
		})
		if err != nil {
			http.Error(w, "The page could not be shown.", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(buf.Bytes())
	})
	mux.HandleFunc("GET /staff/surveys/{slug}/{$}", func(w http.ResponseWriter, r *http.Request) {
		t, ok := h.lookup(r.PathValue("slug"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		responses, err := h.store.Responses(r.Context(), t.Survey.Slug)
		codes := 0
		if err == nil && t.Survey.Codes {
			var cs []Code
			cs, err = h.store.Codes(r.Context(), t.Survey.Slug)
			codes = len(cs)
		}
		if err != nil {
			h.storeFailed(w, r, func(status int, _ map[string]string) { http.Error(w, storeMessage(h.cfg.Language), status) }, err)
			return
		}
		answers := make([]Answers, len(responses))
		for i, resp := range responses {
			answers[i] = resp.Answers
		}
		res := Tally(t.Survey, answers, codes, h.now())
		tr := h.staffText
		var buf bytes.Buffer
		err = staffTemplate.Execute(&buf, map[string]any{
			"Lang": h.cfg.Language, "Title": t.Survey.Title, "R": res, "Open": t.Survey.StateAt(h.now()) == Open,
			"Export":  "export.csv",
			"Heading": tr("实时统计（仅工作人员可见，未公开）", "Live tallies (staff only, not published)"),
			"Resp":    tr("已收答卷", "Responses"), "Of": tr("户已发住户码", "households given a code"),
			"Answered": tr("作答", "answered"), "TextNote": tr("文字意见：请导出表格阅读。", "Written answers: read them in the export."),
			"CSV": tr("导出全部答卷（CSV）", "Export every answer (CSV)"), "Back": tr("返回工作台", "Back to the workspace"),
			"Publish": tr("公布结果：运行 lobby survey results "+t.Survey.Slug+"，提交 data/surveys/ 后重新构建。", "To publish: run lobby survey results "+t.Survey.Slug+", commit data/surveys/ and build."),
		})
		if err != nil {
			http.Error(w, "The page could not be shown.", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(buf.Bytes())
	})
	mux.HandleFunc("GET /staff/surveys/{slug}/export.csv", func(w http.ResponseWriter, r *http.Request) {
		t, ok := h.lookup(r.PathValue("slug"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		responses, err := h.store.Responses(r.Context(), t.Survey.Slug)
		if err != nil {
			h.storeFailed(w, r, func(status int, _ map[string]string) { http.Error(w, storeMessage(h.cfg.Language), status) }, err)
			return
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, t.Survey, responses, loc); err != nil {
			http.Error(w, "The export could not be made.", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="survey-answers.csv"`)
		w.Write(buf.Bytes())
	})
	return mux
}

var staffTemplate = template.Must(template.New("staff").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>{{.Title}} · {{.Heading}}</title></head>
<body>
<main>
<h1>{{.Title}}</h1>
<p>{{.Heading}}</p>
<p>{{.Resp}}: <strong>{{.R.Responses}}</strong>{{if .R.Households}} / {{.R.Households}} {{.Of}}{{end}}</p>
{{range .R.Questions}}<section>
<h2>{{.Text}}</h2>
<p>{{$.Answered}}: {{.Answered}}</p>
{{if .Options}}<table>
<tbody>
{{range .Options}}<tr><th scope="row">{{.ID}} {{.Label}}</th><td>{{.Count}}</td></tr>
{{end}}</tbody>
</table>
{{else}}<p>{{$.TextNote}}</p>
{{end}}</section>
{{end}}
<p><a href="{{.Export}}" download>{{.CSV}}</a></p>
<p>{{.Publish}}</p>
<p><a href="../../">{{.Back}}</a></p>
</main>
</body>
</html>
`))

var staffListTemplate = template.Must(template.New("staff-list").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>{{.Heading}}</title></head>
<body>
<main>
<h1>{{.Heading}}</h1>
{{with .Rows}}<ul>
{{range .}}<li><a href="{{.Slug}}/">{{.Title}}</a> ({{.State}})</li>
{{end}}</ul>{{else}}<p>{{.None}}</p>{{end}}
<p><a href="../">{{.Back}}</a></p>
</main>
</body>
</html>
`))

// staffText picks the Chinese or the English of a staff page's text by
// the site's language (Chinese when it names none).
func (h *Handler) staffText(zh, en string) string {
	if strings.HasPrefix(h.cfg.Language, "zh") || h.cfg.Language == "" {
		return zh
	}
	return en
}
