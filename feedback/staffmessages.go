package feedback

import "github.com/lobby-community/lobby/internal/msg"

// The errors staff meet handling cases, from the workspace, the staff API
// and the CLI. The API answers in English; the workspace and the CLI in
// the staff's language.
var (
	msgUnknownStatus = msg.Message{
		En: "unknown status %q: use received, in_progress, resolved or followed_up",
		Zh: "未知的状态 %q：请用 received（已受理）、in_progress（处理中）、resolved（已解决）或 followed_up（已回访）",
	}
	msgUnknownNewStatus = msg.Message{
		En: "unknown status %q: use in_progress, resolved or followed_up",
		Zh: "未知的状态 %q：请用 in_progress（处理中）、resolved（已解决）或 followed_up（已回访）",
	}
	msgAlreadyStatus = msg.Message{
		En: "the case is already %s: add a note or choose another status",
		Zh: "该事项已经是 %s 状态：请填写备注，或选择其他状态",
	}
	msgNotBackToReceived = msg.Message{
		En: "a case cannot go back to received",
		Zh: "事项不能退回到“已受理”",
	}
	msgBackOnlyToInProgress = msg.Message{
		En: "a case can go back only to in_progress, to reopen it",
		Zh: "事项只能退回到 in_progress（处理中），即重新打开",
	}
	msgUnknownVerdict = msg.Message{
		En: "unknown verdict %q: use satisfied, mostly_satisfied or dissatisfied",
		Zh: "未知的评价 %q：请用 satisfied（满意）、mostly_satisfied（基本满意）或 dissatisfied（不满意）",
	}
	msgNameTooLong = msg.Message{
		En: "the name is longer than %d characters",
		Zh: "姓名超过 %d 个字",
	}
	msgNameInvalid = msg.Message{
		En: "the name is not valid text: write it on one line",
		Zh: "姓名不是有效的文字：请写在一行内",
	}
	msgCommentTooLong = msg.Message{
		En: "the comment is longer than %d characters",
		Zh: "评价意见超过 %d 个字",
	}
	msgCommentInvalid = msg.Message{
		En: "the comment is not valid text: it has control characters or invalid UTF-8",
		Zh: "评价意见不是有效的文字：含有控制字符或无效的 UTF-8",
	}
	msgCommentWithoutVerdict = msg.Message{
		En: "a comment or a follow-up source goes with a verdict",
		Zh: "评价意见和回访方式须与评价一起填写",
	}
	msgVerdictWithStatus = msg.Message{
		En: "a verdict moves the case to followed_up: leave the status out",
		Zh: "填写评价后事项即转为“已回访”：请不要同时填写状态",
	}
	msgResidentAnswered = msg.Message{
		En: "the resident has already answered the follow-up of this case",
		Zh: "业主已对该事项作出回访评价",
	}
	msgUnknownVia = msg.Message{
		En: "unknown follow-up source %q: use resident or phone",
		Zh: "未知的回访方式 %q：请用 resident（业主网上评价）或 phone（电话回访）",
	}
	msgFollowUpBeforeResolved = msg.Message{
		En: "the case is %s: a follow-up comes after it is resolved",
		Zh: "该事项当前为 %s 状态：解决之后才能回访",
	}
	msgNoteTooLong = msg.Message{
		En: "the note is longer than %d characters",
		Zh: "备注超过 %d 个字",
	}
	msgNoteInvalid = msg.Message{
		En: "the note is not valid text: it has control characters or invalid UTF-8",
		Zh: "备注不是有效的文字：含有控制字符或无效的 UTF-8",
	}
	msgNoteEmpty = msg.Message{
		En: "the note is empty: write what was done or found",
		Zh: "备注为空：请写明做了什么或发现了什么",
	}
	msgUnknownCategory = msg.Message{
		En: "unknown category %q: use inquiry, complaint, repair, suggestion or praise",
		Zh: "未知的类别 %q：请用 inquiry（咨询）、complaint（投诉）、repair（报修）、suggestion（建议）或 praise（表扬）",
	}
	msgUnitInvalid = msg.Message{
		En: "the unit is not one line of at most %d characters",
		Zh: "房号须写在一行内，最多 %d 个字",
	}
	msgUnknownOrder = msg.Message{
		En: "unknown order %q: use newest or oldest",
		Zh: "未知的排序 %q：请用 newest（最新在前）或 oldest（最早在前）",
	}
	msgBadOverdue = msg.Message{
		En: "overdue is 1 or 0, not %q",
		Zh: "overdue 只能是 1 或 0，而不是 %q",
	}
	msgBadMonth = msg.Message{
		En: "%q is not a month such as 2026-11",
		Zh: "%q 不是月份，应写成 2026-11 这样",
	}
	msgMonthNotBegun = msg.Message{
		En: "%s has not begun yet: choose a month up to %s",
		Zh: "%s 还没有开始：请选择 %s 或更早的月份",
	}
	msgBadCursor = msg.Message{
		En: "%q is not a page cursor: use the one the previous page gave",
		Zh: "%q 不是有效的翻页标记：请使用上一页给出的标记",
	}
	msgBadPageSize = msg.Message{
		En: "%q is not a page size: use 1 to %d",
		Zh: "%q 不是有效的每页条数：请用 1 到 %d",
	}
	msgBadDate = msg.Message{
		En: "%q is not a date such as 2026-03-01",
		Zh: "%q 不是日期，应写成 2026-03-01 这样",
	}
)
