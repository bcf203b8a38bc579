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
	// Asks is true when the page asks the resident, once, whether they
	// are satisfied: the case is resolved and they have not answered.
	// The form posts ref, verdict (one of Verdicts) and comment to the
	// status page's URL.
	Asks bool
	// Answered is true once the resident has given their verdict.
	Answered bool
	// Error is a sentence in the site's language about a verdict that
	// was not taken; empty otherwise.
	Error string
}

// PublicView returns what the status page may show of c: its reference,
// category-free status and the moments its status changed, without notes
// or anything the resident wrote.
func PublicView(c *Case) StatusView {
	v := StatusView{Ref: c.Ref, Status: c.Status, CreatedAt: c.CreatedAt, Asks: c.AsksResident(), Answered: c.ResidentAnswered()}
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
		"t":          func(key string) string { return uiString(lang, key) },
		"status":     func(s Status) string { return StatusLabel(lang, s) },
		"category":   func(c Category) string { return CategoryLabel(lang, c) },
		"date":       func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") },
		"statuses":   Statuses,
		"verdicts":   Verdicts,
		"categories": Categories,
		"isodate":    func(t time.Time) string { return t.In(loc).Format(time.RFC3339) },
		// excerpt is the start of a message for a list: one line, at
		// most 80 characters.
		"excerpt": func(s string) string {
			s = strings.Join(strings.Fields(EscapeInvisible(s)), " ")
			if r := []rune(s); len(r) > 80 {
				s = string(r[:79]) + "…"
			}
			return s
		},
		"verdict": func(v Verdict) string { return uiString(lang, string(v)) },
		"path":    func(p string) string { return sitePath(base, p) },
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
	"no cases":       {"没有符合条件的事项。", "No cases match."},
	"change status":  {"更改状态", "Change status"},
	"note":           {"备注（仅内部可见）", "Note (staff only)"},
	"save":           {"保存", "Save"},
	"all cases":      {"返回列表", "Back to the list"},
	"when":           {"时间", "When"},
	"staff name":     {"姓名", "Name"},
	"staff unit":     {"房号", "Unit"},
	"staff contact":  {"联系方式", "Contact"},

	"name required":     {"请填写您的姓名，处理记录里会写上它。", "Please give your name: the history of each case records it."},
	"your name":         {"您的姓名", "Your name"},
	"your name hint":    {"写在您处理的每条记录上，例如“前台小张”。", "Shown on every change you make, such as “Zhang, front desk”."},
	"logged in as":      {"当前登录：", "Logged in as"},
	"staff nav":         {"工作台", "Workspace"},
	"inbox":             {"事项列表", "Cases"},
	"monthly report":    {"月度报告", "Monthly report"},
	"surveys":           {"问卷调查", "Surveys"},
	"all cases list":    {"全部事项", "All cases"},
	"cases in status":   {"事项：", "Cases: "},
	"cases":             {"事项", "Cases"},
	"filters":           {"筛选", "Filter"},
	"pending":           {"待处理（已受理、处理中）", "To do (received, in progress)"},
	"all":               {"全部", "All"},
	"all categories":    {"全部类别", "All categories"},
	"building or unit":  {"楼栋或房号", "Building or unit"},
	"unit hint":         {"从开头匹配：填“3-”查看 3 号楼。", "Matches the start: “3-” finds building 3."},
	"from date":         {"起始日期", "From"},
	"to date":           {"截止日期", "To"},
	"order":             {"排序", "Order"},
	"oldest first":      {"最早的在前", "Oldest first"},
	"newest first":      {"最新的在前", "Newest first"},
	"overdue only":      {"只看超时事项", "Overdue only"},
	"apply filters":     {"筛选", "Apply"},
	"clear filters":     {"清除筛选", "Clear filters"},
	"export csv":        {"导出当前列表（CSV 表格）", "Export this list (CSV)"},
	"overdue":           {"超时", "Overdue"},
	"overdue cases":     {"超时事项", "Overdue cases"},
	"overdue respond":   {"超过响应时限", "Past its response target"},
	"overdue resolve":   {"超过解决时限", "Past its resolution target"},
	"since":             {"，截止时间为", ", due"},
	"respond by":        {"应响应时间", "Respond by"},
	"resolve by":        {"应解决时间", "Resolve by"},
	"case":              {"事项", "Case"},
	"by":                {"经办人", "By"},
	"actions":           {"处理", "Actions"},
	"save status":       {"保存状态", "Save status"},
	"add note":          {"添加备注", "Add a note"},
	"note text":         {"备注内容（仅内部可见）", "Note (staff only)"},
	"save note":         {"保存备注", "Save note"},
	"phone follow-up":   {"记录电话回访", "Record a phone follow-up"},
	"follow-up answer":  {"业主的评价", "The resident's answer"},
	"follow-up comment": {"业主的意见（可不填）", "What the resident said (optional)"},
	"save follow-up":    {"保存回访结果", "Save the follow-up"},
	"follow-up hint":    {"“不满意”会把事项重新打开（处理中）。", "“Not satisfied” reopens the case (in progress)."},
	"verdict label":     {"回访评价", "Follow-up"},
	"via resident":      {"业主在网上评价", "by the resident online"},
	"via phone":         {"电话回访", "by phone"},
	"comment":           {"意见", "Comment"},
	"first page":        {"第一页", "First page"},
	"next page":         {"下一页", "Next page"},
	"pages":             {"翻页", "Pages"},
	"change invalid":    {"请检查填写的内容", "please check what you entered"},
	"change conflict":   {"事项的状态已不允许这样做", "the case's status does not allow this"},
	"no name":           {"（未填写）", "(none)"},

	"verdict invalid":   {"请选择“满意”“基本满意”或“不满意”，补充意见不超过 1000 字。", "Please choose one of the answers; a comment may have up to 1,000 characters."},
	"verdict not asked": {"此事项现在不需要评价：可能已经评价过，或尚未办结。谢谢！", "This case does not need your answer now: it may have been answered already, or is not resolved yet. Thank you!"},
	"verdict too long":  {"补充意见太长，请删减后再提交。", "The comment is too long: please shorten it and send it again."},
	"verdict question":  {"您对处理结果满意吗？", "Are you satisfied with how this was handled?"},
	"verdict comment":   {"补充意见（可不填）", "Anything to add? (optional)"},
	"verdict send":      {"提交评价", "Send my answer"},
	"verdict thanks":    {"已收到您的评价，谢谢！", "Thank you for your answer."},
	"satisfied":         {"满意", "Satisfied"},
	"mostly_satisfied":  {"基本满意", "Mostly satisfied"},
	"dissatisfied":      {"不满意", "Not satisfied"},
}
