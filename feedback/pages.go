package feedback

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strings"
	"time"
)

// Pages renders the public feedback pages in the site's theme. The site
// package implements it with the site's templates; PlainPages is the
// default. Implementations write the whole response, status included, and
// must escape everything they show (html/template does).
type Pages interface {
	// Form shows the form again with what was typed and the field errors.
	Form(w http.ResponseWriter, r *http.Request, status int, v FormView)
	// Thanks confirms a submission and shows its reference; ref is empty
	// when the link carried no valid reference.
	Thanks(w http.ResponseWriter, r *http.Request, ref string)
	// Status shows where a case stands. v is zero with status 200 when no
	// reference was given (show the form to look one up), zero with status
	// 404 for an unknown or malformed reference, and only Limited with
	// status 429 when the client looked up too many references.
	Status(w http.ResponseWriter, r *http.Request, status int, v StatusView)
}

// FormView is what the form page shows again after a failed submission.
type FormView struct {
	// Values holds what the resident typed, by field name ("consent" is
	// "on" when ticked).
	Values map[string]string
	// Errors holds a sentence for each field at fault, in the site's
	// language; the key "form" holds one about the whole submission.
	Errors map[string]string
}

// StatusView is what a resident may see of a case: no personal data and no
// staff notes.
type StatusView struct {
	Ref       string
	Status    Status
	CreatedAt time.Time
	// History lists the changes of status, oldest first; Note is always empty.
	History []Event
	// Limited is true when the client looked up too many references and
	// is asked to wait (with status 429).
	Limited bool
}

// PublicView returns what the status page may show of c: its reference,
// category-free status and the moments its status changed, without notes
// or anything the resident wrote.
func PublicView(c *Case) StatusView {
	v := StatusView{Ref: c.Ref, Status: c.Status, CreatedAt: c.CreatedAt}
	for _, ev := range c.History {
		if n := len(v.History); n > 0 && v.History[n-1].Status == ev.Status {
			continue // a note without a change of status
		}
		v.History = append(v.History, Event{At: ev.At, Status: ev.Status})
	}
	return v
}

//go:embed templates/*.html
var templateFS embed.FS

// PlainPages renders the public pages as simple standalone HTML, for tests
// and for sites that provide no Pages of their own.
type PlainPages struct {
	// Lang is "zh-CN" or "en".
	Lang string
	// Location is the time zone dates are shown in; nil means UTC.
	Location *time.Location
	// BasePath is the path the site is served under, as in Config.
	BasePath string
}

// Form renders the form with the values typed and the errors.
func (p PlainPages) Form(w http.ResponseWriter, r *http.Request, status int, v FormView) {
	p.render(w, status, "form.html", map[string]any{"Values": v.Values, "Errors": v.Errors, "Categories": Categories()})
}

// Thanks renders the thank-you page with the reference.
func (p PlainPages) Thanks(w http.ResponseWriter, r *http.Request, ref string) {
	p.render(w, http.StatusOK, "thanks.html", map[string]any{"Ref": ref})
}

// Status renders a case's status and its history, or "not found".
func (p PlainPages) Status(w http.ResponseWriter, r *http.Request, status int, v StatusView) {
	p.render(w, status, "status.html", map[string]any{"View": v, "NotFound": status == http.StatusNotFound, "Limited": v.Limited})
}

func (p PlainPages) render(w http.ResponseWriter, status int, name string, data map[string]any) {
	t, err := parsePageTemplates(p.Lang, p.Location, p.BasePath, "templates/page.html", "templates/"+name)
	var buf bytes.Buffer
	if err == nil {
		data["Lang"] = langOr(p.Lang)
		err = t.ExecuteTemplate(&buf, "page", data)
	}
	if err != nil {
		// The templates are embedded and tested: this is a programming error.
		http.Error(w, "The page could not be shown.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func langOr(lang string) string {
	if lang == "" {
		return "zh-CN"
	}
	return lang
}

// parsePageTemplates parses embedded templates with the functions they
// share: t (a UI string in lang), status and category labels, dates, and
// path, which puts base (a Config.BasePath) in front of a path.
func parsePageTemplates(lang string, loc *time.Location, base string, names ...string) (*template.Template, error) {
	lang = langOr(lang)
	if loc == nil {
		loc = time.UTC
	}
	funcs := template.FuncMap{
		"t":        func(key string) string { return uiString(lang, key) },
		"status":   func(s Status) string { return StatusLabel(lang, s) },
		"category": func(c Category) string { return CategoryLabel(lang, c) },
		"date":     func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") },
		"statuses": Statuses,
		"path":     func(p string) string { return sitePath(base, p) },
		// visible shows invisible characters as escapes, for cases stored
		// before they were cleaned out of submissions.
		"visible": EscapeInvisible,
	}
	return template.New("").Funcs(funcs).ParseFS(templateFS, names...)
}

// uiString returns a fixed sentence of the pages in lang.
func uiString(lang, key string) string {
	s, ok := uiStrings[key]
	if !ok {
		return key
	}
	if strings.HasPrefix(lang, "zh") {
		return s[0]
	}
	return s[1]
}

// uiStrings are the pages' fixed sentences: Chinese, then English.
var uiStrings = map[string][2]string{
	"feedback":       {"意见反馈", "Feedback"},
	"category":       {"类别", "Category"},
	"name":           {"姓名（可不填）", "Name (optional)"},
	"unit":           {"房号（可不填）", "Unit (optional)"},
	"contact":        {"联系方式（可不填）", "Phone or email (optional)"},
	"message":        {"内容", "Message"},
	"consent":        {"我同意物业保存以上信息，用于处理此事", "I agree that the office keeps this information to handle my request"},
	"website":        {"请勿填写此项", "Leave this empty"},
	"send":           {"提交", "Send"},
	"thanks":         {"已收到，谢谢！", "Thank you, we have received it."},
	"your ref":       {"您的编号：", "Your reference:"},
	"keep ref":       {"请记下此编号，致电物业时报出即可查询。", "Keep this reference; read it out when you call the office."},
	"check status":   {"查询处理进度", "Check its status"},
	"status":         {"处理进度", "Status"},
	"ref":            {"编号", "Reference"},
	"look up":        {"查询", "Look up"},
	"not found":      {"没有找到此编号，请检查后重试。", "There is no case with this reference. Please check it and try again."},
	"submitted":      {"提交时间", "Sent"},
	"history":        {"记录", "History"},
	"staff":          {"物业工作台", "Staff"},
	"token":          {"工作人员口令", "Staff token"},
	"log in":         {"登录", "Log in"},
	"log out":        {"退出", "Log out"},
	"wrong token":    {"口令不正确。", "That token is not right."},
	"too many tries": {"失败次数过多，请稍后再试。", "Too many failed attempts: please try again later."},
	"open cases":     {"待处理事项", "Open cases"},
	"no cases":       {"没有待处理事项。", "No open cases."},
	"change status":  {"更改状态", "Change status"},
	"note":           {"备注（仅内部可见）", "Note (staff only)"},
	"save":           {"保存", "Save"},
	"all cases":      {"返回列表", "Back to the list"},
	"when":           {"时间", "When"},
	"staff name":     {"姓名", "Name"},
	"staff unit":     {"房号", "Unit"},
	"staff contact":  {"联系方式", "Contact"},
}
