package survey

import "github.com/lobby-community/lobby/internal/msg"

// Messages about a survey's declaration and its results file, for staff.
var (
	msgNoOpens       = msg.Message{En: "a survey needs opens = 2026-12-01T00:00:00 (when answers are first taken)", Zh: "问卷需要开放时间，例如 opens = 2026-12-01T00:00:00"}
	msgNoCloses      = msg.Message{En: "a survey needs closes = 2026-12-31T23:59:00 (when answers stop)", Zh: "问卷需要截止时间，例如 closes = 2026-12-31T23:59:00"}
	msgClosesEarly   = msg.Message{En: "closes (%s) is not after opens (%s)", Zh: "截止时间 closes（%s）不晚于开放时间 opens（%s）"}
	msgNoQuestions   = msg.Message{En: "a survey needs at least one [[questions]] entry with id, kind and text", Zh: "问卷至少需要一道题：[[questions]]，含 id、kind 和 text"}
	msgTooManyQ      = msg.Message{En: "a survey may have at most %d questions, not %d", Zh: "问卷最多 %d 道题，这里有 %d 道"}
	msgNoID          = msg.Message{En: "question %d has no id: give it a short one such as id = \"cleaning\" (it names the question's results)", Zh: "第 %d 题没有 id：请写一个简短的，例如 id = \"cleaning\"（统计结果按它归类）"}
	msgBadID         = msg.Message{En: "question id %q must be lower-case letters, digits, - or _ (at most 40)", Zh: "题目 id %q 只能用小写字母、数字、- 或 _（最多 40 个）"}
	msgDupID         = msg.Message{En: "question id %q is used twice", Zh: "题目 id %q 重复了"}
	msgNoText        = msg.Message{En: "question %q has no text", Zh: "题目 %q 没有题干 text"}
	msgFewOptions    = msg.Message{En: "%s choice question %q needs at least two options", Zh: "%s 选择题 %q 至少需要两个选项"}
	msgManyOptions   = msg.Message{En: "question %q may have at most %d options, not %d", Zh: "题目 %q 最多 %d 个选项，这里有 %d 个"}
	msgNoOptionID    = msg.Message{En: "option %d of question %q has no id", Zh: "题目 %[2]q 的第 %[1]d 个选项没有 id"}
	msgBadOptionID   = msg.Message{En: "option id %q of question %q must be lower-case letters, digits, - or _", Zh: "题目 %[2]q 的选项 id %[1]q 只能用小写字母、数字、- 或 _"}
	msgDupOptionID   = msg.Message{En: "option id %q is used twice in question %q", Zh: "题目 %[2]q 中选项 id %[1]q 重复了"}
	msgNoLabel       = msg.Message{En: "option %q of question %q has no label", Zh: "题目 %[2]q 的选项 %[1]q 没有 label"}
	msgMaxOnSingle   = msg.Message{En: "max is for multiple choice questions; question %q is single choice", Zh: "max 只用于多选题；题目 %q 是单选题"}
	msgMaxRange      = msg.Message{En: "max of question %q is %d, but it has %d options", Zh: "题目 %q 的 max 是 %d，但只有 %d 个选项"}
	msgRatingLabels  = msg.Message{En: "rating question %q needs %d labels, for 1 to 5, such as labels = [\"很不满意\", \"不满意\", \"一般\", \"满意\", \"很满意\"]", Zh: "评分题 %q 需要 %d 个标签（对应 1 到 5），例如 labels = [\"很不满意\", \"不满意\", \"一般\", \"满意\", \"很满意\"]"}
	msgMaxLength     = msg.Message{En: "max_length of question %q must be between 1 and %d", Zh: "题目 %q 的 max_length 应在 1 到 %d 之间"}
	msgBadKind       = msg.Message{En: "question %q has kind %q: use single, multiple, rating or text", Zh: "题目 %q 的 kind 是 %q：请用 single、multiple、rating 或 text"}
	msgOptionsOnKind = msg.Message{En: "options are for single and multiple choice questions, not %s", Zh: "options 只用于单选和多选题，不用于 %s"}
	msgLengthOnKind  = msg.Message{En: "max_length is for text questions, not %s", Zh: "max_length 只用于文字题，不用于 %s"}
	msgLabelsOnKind  = msg.Message{En: "labels are for rating questions, not %s", Zh: "labels 只用于评分题，不用于 %s"}
	msgQuestionGone  = msg.Message{En: "question %q has answers (data/surveys/%s.json) and cannot be removed", Zh: "题目 %q 已有回答（data/surveys/%s.json），不能删除"}
	msgKindChanged   = msg.Message{En: "question %q has answers as a %s question and cannot become %s", Zh: "题目 %q 已按 %s 题收到回答，不能改成 %s"}
	msgOptionGone    = msg.Message{En: "option %q (%s) of question %q has answers and cannot be removed", Zh: "题目 %[3]q 的选项 %[1]q（%[2]s）已有回答，不能删除"}
	msgRatingRelabel = msg.Message{En: "label %s of rating question %q was %q when answers were counted: it cannot change to %q", Zh: "评分题 %[2]q 的第 %[1]s 级标签统计时是 %[3]q，不能改成 %[4]q"}
	msgOptionRelabel = msg.Message{En: "option %q of question %q was %q when answers were counted: it cannot change to %q (add a new option instead)", Zh: "题目 %[2]q 的选项 %[1]q 统计时是 %[3]q，不能改成 %[4]q（请另加一个新选项）"}
)
