package survey

import "strings"

// FormView is a survey's form as a resident filled it in, for the page to
// show it again with the errors next to their questions. The survey's
// page is built with an empty one. Its methods work on a nil FormView.
type FormView struct {
	// Values holds what was sent, by form field (FieldName of a question,
	// and "code").
	Values map[string][]string
	// Errors holds a sentence for each question at fault, by question id;
	// FieldCode for the household code and FieldForm for the whole form.
	Errors map[string]string
}

// Fields of the form besides the questions.
const (
	FieldCode = "code" // the household code
	FieldKey  = "key"  // the idempotency key
	FieldForm = "form" // errors about the whole form
)

// Value returns what was typed in the field.
func (f *FormView) Value(field string) string {
	if f == nil || len(f.Values[field]) == 0 {
		return ""
	}
	return strings.Join(f.Values[field], "\n")
}

// Picked reports whether the option was picked in the field.
func (f *FormView) Picked(field, option string) bool {
	if f == nil {
		return false
	}
	for _, v := range f.Values[field] {
		if v == option {
			return true
		}
	}
	return false
}

// Error returns the error of a question (by id) or field, or "".
func (f *FormView) Error(key string) string {
	if f == nil {
		return ""
	}
	return f.Errors[key]
}

// HasErrors reports whether any field is at fault.
func (f *FormView) HasErrors() bool { return f != nil && len(f.Errors) > 0 }

// Message returns the sentence for a message code in lang ("zh-CN" or
// "en"); q is the question at fault, if any.
func Message(lang, code string, q *Question) string {
	zh := strings.HasPrefix(lang, "zh")
	pick := func(c, e string) string {
		if zh {
			return c
		}
		return e
	}
	switch code {
	case CodeRequired:
		return pick("请回答这一题。", "Please answer this question.")
	case CodeInvalid:
		return pick("请从选项中选择。", "Please choose from the options.")
	case CodeTooMany:
		n := 0
		if q != nil {
			n = q.MaxChoices()
		}
		return pick(sprintf("最多选 %d 项。", n), sprintf("Choose at most %d.", n))
	case CodeTooLong:
		n := DefaultMaxLength
		if q != nil {
			n = q.Limit()
		}
		return pick(sprintf("最多 %d 个字，请删减一些。", n), sprintf("At most %d characters: please shorten it.", n))
	case CodeCode:
		return pick("户号码不正确，请核对通知单上的号码。", "This household code is not right: please check it against your slip.")
	case CodeClosed:
		return pick("本次调查现在不接受回答。", "This survey is not taking answers now.")
	case CodeUnread:
		return pick("无法读取提交的内容，请重试。", "The answers could not be read: please try again.")
	}
	return pick("请检查这一题。", "Please check this question.")
}
