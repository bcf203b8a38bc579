package feedback

import (
	"time"
)

// Verdict is a resident's answer to the follow-up (回访) after a case is
// resolved: whether they are satisfied with how it was handled.
type Verdict string

// The three answers a resident can give.
const (
	VerdictSatisfied       Verdict = "satisfied"        // 满意
	VerdictMostlySatisfied Verdict = "mostly_satisfied" // 基本满意
	VerdictDissatisfied    Verdict = "dissatisfied"     // 不满意
)

// Verdicts lists the answers in the order the follow-up offers them.
func Verdicts() []Verdict {
	return []Verdict{VerdictSatisfied, VerdictMostlySatisfied, VerdictDissatisfied}
}

// Valid reports whether v is one of the three answers.
func (v Verdict) Valid() bool {
	for _, x := range Verdicts() {
		if x == v {
			return true
		}
	}
	return false
}

// ParseVerdict returns the verdict named s, or an EINVALID error.
func ParseVerdict(s string) (Verdict, error) {
	v := Verdict(s)
	if !v.Valid() {
		return "", Errorm(EINVALID, msgUnknownVerdict, s)
	}
	return v, nil
}

// Via is where a follow-up verdict came from.
type Via string

// The ways a verdict reaches the office.
const (
	// ViaResident is the resident's own answer on the status page.
	ViaResident Via = "resident"
	// ViaPhone is an answer that staff recorded after calling or visiting
	// the resident.
	ViaPhone Via = "phone"
)

// Limits on what staff and residents add to a case, in characters.
const (
	MaxStaffNameLength = 50
	MaxCommentLength   = 1000
)

// Change is one thing done to a case: a change of status, a note, or a
// follow-up verdict, by someone.
type Change struct {
	// Status is the status to move to; empty keeps the current one (a
	// note). It must be empty with a Verdict.
	Status Status
	// Note is for staff only.
	Note string
	// By is the staff member's display name; empty for a resident.
	By string
	// Verdict, when set, records a follow-up: the case must be resolved.
	// It moves the case to followed_up; VerdictDissatisfied then reopens
	// it (in_progress) for staff.
	Verdict Verdict
	// Comment is what the resident added to their verdict.
	Comment string
	// Via says where the verdict came from; required with a Verdict.
	Via Via
}

// CleanStaffName trims a staff display name and checks that it is one
// line of at most MaxStaffNameLength characters.
func CleanStaffName(s string) (string, error) {
	s, code := cleanText(s, MaxStaffNameLength, false)
	switch code {
	case codeTooLong:
		return "", Errorm(EINVALID, msgNameTooLong, MaxStaffNameLength)
	case codeInvalid:
		return "", Errorm(EINVALID, msgNameInvalid)
	}
	return s, nil
}

// CleanComment trims a resident's follow-up comment and checks it like a
// message.
func CleanComment(s string) (string, error) {
	s, code := cleanText(s, MaxCommentLength, true)
	switch code {
	case codeTooLong:
		return "", Errorm(EINVALID, msgCommentTooLong, MaxCommentLength)
	case codeInvalid:
		return "", Errorm(EINVALID, msgCommentInvalid)
	}
	return s, nil
}

// Apply records ch on c at the moment at, after cleaning its text and
// checking it against the case's state: a status change must pass
// CheckTransition; a verdict needs a resolved case, and a resident
// answers at most once per case. It appends one event, or two when a
// dissatisfied verdict reopens the case. Stores persist the events Apply
// appends and the status it leaves.
func (c *Case) Apply(ch Change, at time.Time) error {
	at = at.UTC()
	note, err := CleanNote(ch.Note)
	if err != nil {
		return err
	}
	by, err := CleanStaffName(ch.By)
	if err != nil {
		return err
	}
	if ch.Verdict == "" {
		if ch.Comment != "" || ch.Via != "" {
			return Errorm(EINVALID, msgCommentWithoutVerdict)
		}
		to := ch.Status
		if to == "" {
			to = c.Status
		}
		if err := CheckTransition(c.Status, to, note); err != nil {
			return err
		}
		c.record(Event{At: at, Status: to, Note: note, By: by})
		return nil
	}
	if !ch.Verdict.Valid() {
		return Errorm(EINVALID, msgUnknownVerdict, ch.Verdict)
	}
	if ch.Status != "" && ch.Status != StatusFollowedUp {
		return Errorm(EINVALID, msgVerdictWithStatus)
	}
	comment, err := CleanComment(ch.Comment)
	if err != nil {
		return err
	}
	switch ch.Via {
	case ViaResident:
		if by != "" || note != "" {
			return Errorf(EINVALID, "a resident's verdict has no staff name or note")
		}
		if c.ResidentAnswered() {
			return Errorm(ECONFLICT, msgResidentAnswered)
		}
	case ViaPhone:
	default:
		return Errorm(EINVALID, msgUnknownVia, ch.Via)
	}
	if c.Status != StatusResolved {
		return Errorm(ECONFLICT, msgFollowUpBeforeResolved, c.Status)
	}
	c.record(Event{At: at, Status: StatusFollowedUp, Note: note, By: by, Verdict: ch.Verdict, Comment: comment, Via: ch.Via})
	if ch.Verdict == VerdictDissatisfied {
		c.record(Event{At: at, Status: StatusInProgress, By: by})
	}
	return nil
}

// record appends ev to the history and makes it the case's state.
func (c *Case) record(ev Event) {
	c.Status = ev.Status
	c.UpdatedAt = ev.At
	c.History = append(c.History, ev)
}

// ResidentAnswered reports whether the resident has given their verdict
// on the status page; they may only once per case.
func (c *Case) ResidentAnswered() bool {
	for _, ev := range c.History {
		if ev.Verdict != "" && ev.Via == ViaResident {
			return true
		}
	}
	return false
}

// AsksResident reports whether the resident's status page asks for their
// verdict now: the case is resolved and they have not answered yet.
func (c *Case) AsksResident() bool {
	return c.Status == StatusResolved && !c.ResidentAnswered()
}

// FollowUp returns the latest follow-up verdict recorded on the case, and
// false when there is none.
func (c *Case) FollowUp() (Event, bool) {
	for i := len(c.History) - 1; i >= 0; i-- {
		if c.History[i].Verdict != "" {
			return c.History[i], true
		}
	}
	return Event{}, false
}

// FirstResponse returns when staff first acted on the case for the
// resident, that is when it first left received (to in progress, or
// straight to resolved), and false while it is still received. A note
// alone is not a response: the resident sees nothing of it.
func (c *Case) FirstResponse() (time.Time, bool) {
	for _, ev := range c.History {
		if ev.Status != StatusReceived {
			return ev.At, true
		}
	}
	return time.Time{}, false
}

// Resolved returns when the case was resolved, and false while it is not
// (received or in progress, which includes a case reopened after a
// dissatisfied verdict). A case resolved, reopened and resolved again
// counts from its last resolution: that is when the resident's problem
// was fixed.
func (c *Case) Resolved() (time.Time, bool) {
	if c.Status.Pending() {
		return time.Time{}, false
	}
	var at time.Time
	prev := StatusReceived
	for _, ev := range c.History {
		if prev.Pending() && !ev.Status.Pending() {
			at = ev.At
		}
		prev = ev.Status
	}
	return at, !at.IsZero()
}

// Pending reports whether the office still has to act on a case in
// status s: received or in progress.
func (s Status) Pending() bool { return s == StatusReceived || s == StatusInProgress }

// Target is a service target: how soon a case must be responded to and
// resolved, counted from when the resident sent it. Zero means no target.
type Target struct {
	Respond time.Duration `json:"respond,omitzero"`
	Resolve time.Duration `json:"resolve,omitzero"`
}

// Targets are the service targets by category; a category without one
// has none.
type Targets map[Category]Target

// Overdue says which of its targets a case has missed.
type Overdue struct {
	// Respond is true when the case is still received past its response
	// target; Resolve when it is still pending past its resolution target.
	Respond bool `json:"respond"`
	Resolve bool `json:"resolve"`
	// Since is the first deadline the case missed.
	Since time.Time `json:"since"`
}

// Any reports whether a target is missed.
func (o Overdue) Any() bool { return o.Respond || o.Resolve }

// OverdueAt says which of the targets ts sets for c's category c has
// missed at now. Only a pending case can be overdue: once responded to it
// cannot miss the response target, once resolved neither.
func (c *Case) OverdueAt(ts Targets, now time.Time) Overdue {
	t := ts[c.Category]
	var o Overdue
	if _, ok := c.FirstResponse(); !ok && t.Respond > 0 {
		if due := c.CreatedAt.Add(t.Respond); now.After(due) {
			o.Respond, o.Since = true, due
		}
	}
	if c.Status.Pending() && t.Resolve > 0 {
		if due := c.CreatedAt.Add(t.Resolve); now.After(due) {
			o.Resolve = true
			if o.Since.IsZero() || due.Before(o.Since) {
				o.Since = due
			}
		}
	}
	return o
}
