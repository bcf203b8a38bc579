package survey

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lobby-community/lobby/feedback"
)

// MaxBodyBytes bounds the body of an answer: a survey of fifty questions
// with its longest texts fits several times over.
const MaxBodyBytes = 64 << 10

// CookieName is the cookie that tells one browser's answers from
// another's, for surveys without household codes.
const CookieName = "lobby_survey"

// Target is a survey the server takes answers for, as the site of the
// latest build has it.
type Target struct {
	Survey *Survey
	// Page is the URL of the survey's page as links write it (with the
	// base URL's path); its thank-you page is Page + "thanks/".
	Page string
}

// Pages renders the survey's page again with the form as filled in, in
// the site's theme, writing the whole response with status.
type Pages interface {
	SurveyForm(w http.ResponseWriter, r *http.Request, status int, slug string, v *FormView)
}

// Config is what the handler needs besides its store.
type Config struct {
	// Language is the site's language, for messages.
	Language string
	// SiteOrigin is the origin of the site's pages when they are published
	// apart from this server; the form posts from there are let in, and
	// the thank-you page is there.
	SiteOrigin string
	// Limit is the rate limit on posts per client; nil for none.
	Limit *feedback.SubmissionLimit
}

// Handler takes residents' answers: POST /api/v1/surveys/SLUG/answers (a
// form post or JSON), and GET /api/v1/surveys/SLUG/form?code=CODE, the
// survey's page with the household code filled in (where a slip's QR code
// leads).
type Handler struct {
	store  Store
	lookup func(slug string) (Target, bool)
	pages  Pages
	cfg    Config
	now    func() time.Time
	log    *slog.Logger
	mux    *http.ServeMux
}

// NewHandler returns a Handler that keeps answers in store and finds the
// surveys with lookup. A nil logger discards logs.
func NewHandler(store Store, lookup func(slug string) (Target, bool), pages Pages, cfg Config, now func() time.Time, logger *slog.Logger) *Handler {
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	h := &Handler{store: store, lookup: lookup, pages: pages, cfg: cfg, now: now, log: logger, mux: http.NewServeMux()}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "Requests from other websites are not accepted."})
	}))
	if cfg.SiteOrigin != "" {
		if err := cop.AddTrustedOrigin(cfg.SiteOrigin); err != nil {
			logger.Error("survey: site origin not trusted", "origin", cfg.SiteOrigin, "err", err)
		}
	}
	h.mux.Handle("POST /api/v1/surveys/{slug}/answers", cop.Handler(http.HandlerFunc(h.answer)))
	h.mux.HandleFunc("GET /api/v1/surveys/{slug}/form", h.form)
	return h
}

// ServeHTTP dispatches to the survey routes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// Paths are the paths the handler answers, for the server to mount.
var Paths = []string{"POST /api/v1/surveys/", "GET /api/v1/surveys/{slug}/form"}

// posted is an answer as it arrived.
type posted struct {
	values map[string][]string // form fields: FieldName(id), code, key
	json   bool
}

// answer handles POST /api/v1/surveys/SLUG/answers.
func (h *Handler) answer(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	slug := r.PathValue("slug")
	t, found := h.lookup(slug)
	p := posted{values: map[string][]string{}}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/x-www-form-urlencoded":
	case "application/json":
		p.json = true
	default:
		writeJSON(w, http.StatusUnsupportedMediaType, map[string]string{"error": "Send the answers as a form (application/x-www-form-urlencoded) or as JSON (application/json)."})
		return
	}
	fail := func(status int, errs map[string]string) {
		if p.json {
			if msg, ok := errs[FieldForm]; ok && len(errs) == 1 {
				writeJSON(w, status, map[string]string{"error": msg})
				return
			}
			writeJSON(w, status, map[string]any{"errors": errs})
			return
		}
		if !found {
			http.Error(w, errs[FieldForm], status)
			return
		}
		h.pages.SurveyForm(w, r, status, slug, &FormView{Values: p.values, Errors: errs})
	}
	formError := func(status int, code string) {
		fail(status, map[string]string{FieldForm: Message(h.cfg.Language, code, nil)})
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			fail(http.StatusRequestEntityTooLarge, map[string]string{FieldForm: Message(h.cfg.Language, CodeTooLong, nil)})
			return
		}
		formError(http.StatusBadRequest, CodeUnread)
		return
	}
	if !p.decode(body) {
		formError(http.StatusBadRequest, CodeUnread)
		return
	}
	if k := r.Header.Get("Idempotency-Key"); k != "" {
		p.values[FieldKey] = []string{k}
	}
	if !found {
		fail(http.StatusNotFound, map[string]string{FieldForm: "There is no such survey."})
		return
	}
	s := t.Survey
	now := h.now()
	if s.StateAt(now) != Open {
		formError(http.StatusForbidden, CodeClosed)
		return
	}
	giveBack := func() {}
	if h.cfg.Limit != nil {
		ok, wait, back := h.cfg.Limit.Take(r, now)
		if !ok {
			w.Header().Set("Retry-After", strconv.Itoa(wait))
			fail(http.StatusTooManyRequests, map[string]string{FieldForm: rateMessage(h.cfg.Language, wait)})
			return
		}
		giveBack = back
	}
	answers, errs := s.Validate(p.values)
	msgs := map[string]string{}
	for id, code := range errs {
		msgs[id] = Message(h.cfg.Language, code, s.Question(id))
	}
	var respondent string
	var newToken string
	if s.Codes {
		code := strings.TrimSpace(first(p.values[FieldCode]))
		hash := HashCode(s.Slug, code)
		if code == "" || len(code) > 40 {
			msgs[FieldCode] = Message(h.cfg.Language, CodeCode, nil)
		} else if _, err := h.store.CodeUnit(r.Context(), s.Slug, hash); errors.Is(err, ErrNotFound) {
			msgs[FieldCode] = Message(h.cfg.Language, CodeCode, nil)
		} else if err != nil {
			h.storeFailed(w, r, fail, err)
			return
		}
		respondent = CodeRespondent(hash)
	} else {
		token := ""
		if c, err := r.Cookie(CookieName); err == nil && validToken(c.Value) {
			token = c.Value
		} else {
			token = newBrowserToken()
			newToken = token
		}
		respondent = HashBrowser(s.Slug, token)
	}
	if len(msgs) > 0 {
		giveBack() // a resident correcting the form is not sending twice
		fail(http.StatusBadRequest, msgs)
		return
	}
	key := strings.TrimSpace(first(p.values[FieldKey]))
	if len(key) > 100 {
		key = ""
	}
	resp := &Response{Survey: s.Slug, Respondent: respondent, Key: key, Answers: answers, CreatedAt: now, UpdatedAt: now}
	replaced, retried, err := h.store.SaveAnswer(r.Context(), resp)
	if err != nil {
		h.storeFailed(w, r, fail, err)
		return
	}
	if retried {
		giveBack()
	}
	// Only the survey and whether an answer was replaced: never who
	// answered or what.
	h.log.Info("survey answer", "survey", s.Slug, "replaced", replaced, "retried", retried)
	if newToken != "" {
		http.SetCookie(w, &http.Cookie{Name: CookieName, Value: newToken, Path: "/", MaxAge: 400 * 24 * 3600,
			HttpOnly: true, Secure: h.cfg.Limit.Secure(r), SameSite: http.SameSiteLaxMode})
	}
	if p.json {
		status := "stored"
		if replaced {
			status = "replaced"
		}
		writeJSON(w, http.StatusCreated, map[string]string{"status": status})
		return
	}
	http.Redirect(w, r, h.cfg.SiteOrigin+t.Page+"thanks/", http.StatusSeeOther)
}

// storeFailed answers a store error: 503 with Retry-After when the store
// is unavailable, else 500; the log has the error, never the answers.
func (h *Handler) storeFailed(w http.ResponseWriter, r *http.Request, fail func(int, map[string]string), err error) {
	status := http.StatusInternalServerError
	if feedback.ErrorCode(err) == feedback.EUNAVAILABLE {
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "5")
	} else {
		h.log.Error("survey: store", "path", r.URL.Path, "err", err)
	}
	fail(status, map[string]string{FieldForm: storeMessage(h.cfg.Language)})
}

// form handles GET /api/v1/surveys/SLUG/form?code=CODE: the survey's
// page with the code filled in, for a slip's QR code. The code is in the
// URL, so the page is not cached and sends no referrer.
func (h *Handler) form(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	slug := r.PathValue("slug")
	if _, ok := h.lookup(slug); !ok {
		http.NotFound(w, r)
		return
	}
	v := &FormView{Values: map[string][]string{}}
	if code := strings.TrimSpace(r.URL.Query().Get("code")); code != "" && len(code) <= 40 && utf8.ValidString(code) {
		v.Values[FieldCode] = []string{code}
	}
	h.pages.SurveyForm(w, r, http.StatusOK, slug, v)
}

// decode reads a form body, or a JSON object {"code", "key", "answers":
// {id: "option" or ["options"] or "text"}}, into p.values.
func (p *posted) decode(body []byte) bool {
	if !p.json {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return false
		}
		for k, vs := range form {
			if k == FieldCode || k == FieldKey || strings.HasPrefix(k, "q-") {
				for i := range vs {
					vs[i] = strings.ToValidUTF8(vs[i], "\uFFFD")
				}
				p.values[k] = vs
			}
		}
		return true
	}
	var obj struct {
		Code    string                     `json:"code"`
		Key     string                     `json:"key"`
		Answers map[string]json.RawMessage `json:"answers"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if !utf8.Valid(body) || dec.Decode(&obj) != nil {
		return false
	}
	if obj.Code != "" {
		p.values[FieldCode] = []string{obj.Code}
	}
	if obj.Key != "" {
		p.values[FieldKey] = []string{obj.Key}
	}
	for id, raw := range obj.Answers {
		var one string
		var many []string
		var n json.Number
		switch {
		case json.Unmarshal(raw, &one) == nil:
			p.values[FieldName(id)] = []string{one}
		case json.Unmarshal(raw, &many) == nil:
			p.values[FieldName(id)] = many
		case json.Unmarshal(raw, &n) == nil:
			p.values[FieldName(id)] = []string{n.String()}
		default:
			return false
		}
	}
	return true
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// newBrowserToken returns a fresh random cookie value.
func newBrowserToken() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

func validToken(s string) bool {
	if len(s) != 32 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func rateMessage(lang string, wait int) string {
	mins := (wait + 59) / 60
	if strings.HasPrefix(lang, "zh") {
		return sprintf("提交过于频繁，请 %d 分钟后再试，或致电物业。", mins)
	}
	return sprintf("Too many posts from your address: please wait %d minutes and try again, or call the office.", mins)
}

func storeMessage(lang string) string {
	if strings.HasPrefix(lang, "zh") {
		return "暂时无法保存，请稍后再提交一次（您填写的内容都还在）。"
	}
	return "Your answers could not be saved just now: please send them again in a moment (everything you entered is kept)."
}
