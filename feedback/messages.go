package feedback

import (
	"fmt"
	"strings"
)

// Message turns a field error code into a sentence for a resident, in
// lang ("zh-CN" or "en"; anything not Chinese gets English).
func Message(lang, field, code string) string {
	zh := strings.HasPrefix(lang, "zh")
	pick := func(zhText, enText string) string {
		if zh {
			return zhText
		}
		return enText
	}
	switch code {
	case codeRequired:
		return pick("请填写此项。", "Please fill this in.")
	case codeTooLong:
		n := map[string]int{FieldName: MaxNameLength, FieldUnit: MaxUnitLength, FieldContact: MaxContactLength, FieldMessage: MaxMessageLength}[field]
		return pick(fmt.Sprintf("最多 %d 个字，请删减一些。", n), fmt.Sprintf("Please keep this to %d characters or fewer.", n))
	case codeChoice:
		return pick("请选择一个类别。", "Please choose a category.")
	case codeConsent:
		return pick("请勾选同意后再提交。", "Please tick the box to agree before sending.")
	case codeInvalid:
		if field == FieldKey {
			return pick("表单已过期，请刷新页面后重新提交。", "This form has expired; please reload the page and send it again.")
		}
		return pick("含有无法识别的字符，请重新输入。", "This contains characters we cannot accept; please type it again.")
	case codeUnreadable:
		return pick("无法读取提交的内容，请重新填写。", "We could not read what was sent; please fill in the form again.")
	case codeKeyReused:
		return pick("此表单已用不同内容提交过，请刷新页面后重新提交。", "This form was already sent with different text; please reload the page and send it again.")
	}
	return pick("请检查此项。", "Please check this.")
}

// StatusLabel returns the name of a status for a resident, in lang.
func StatusLabel(lang string, s Status) string {
	zh := strings.HasPrefix(lang, "zh")
	labels := map[Status][2]string{
		StatusReceived:   {"已受理", "Received"},
		StatusInProgress: {"处理中", "In progress"},
		StatusResolved:   {"已解决", "Resolved"},
		StatusFollowedUp: {"已回访", "Followed up"},
	}
	l, ok := labels[s]
	if !ok {
		return string(s)
	}
	if zh {
		return l[0]
	}
	return l[1]
}

// CategoryLabel returns the name of a category for a resident, in lang.
func CategoryLabel(lang string, c Category) string {
	labels := map[Category][2]string{
		CategoryInquiry:    {"咨询", "Inquiry"},
		CategoryComplaint:  {"投诉", "Complaint"},
		CategoryRepair:     {"报修", "Repair"},
		CategorySuggestion: {"建议", "Suggestion"},
		CategoryPraise:     {"表扬", "Praise"},
	}
	l, ok := labels[c]
	if !ok {
		return string(c)
	}
	if strings.HasPrefix(lang, "zh") {
		return l[0]
	}
	return l[1]
}

// formMessage returns a sentence in lang about a failure of the whole
// submission, for the form shown again.
func formMessage(lang string, err error) string {
	zh := strings.HasPrefix(lang, "zh")
	pick := func(zhText, enText string) string {
		if zh {
			return zhText
		}
		return enText
	}
	switch ErrorCode(err) {
	case EKEYREUSED:
		return Message(lang, FieldForm, codeKeyReused)
	case EINVALID:
		return Message(lang, FieldForm, codeUnreadable)
	case ERATELIMIT:
		return pick("提交过于频繁，请稍后再试，或致电物业。", "Too many submissions from your connection: please try again later, or call the office.")
	case ETOOLARGE:
		return pick("内容太长，请删减后再提交。", "What you sent is too long: please shorten it and send it again.")
	}
	return pick("系统暂时出错，您填写的内容仍在下方，请稍后再提交，或致电物业。",
		"Something went wrong on our side. What you typed is still below: please try again later, or call the office.")
}
