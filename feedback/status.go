package feedback

// Status is where a case stands in the office's handling.
type Status string

// The statuses of a case, in the order they are normally reached.
const (
	StatusReceived   Status = "received"
	StatusInProgress Status = "in_progress"
	StatusResolved   Status = "resolved"
	StatusFollowedUp Status = "followed_up"
)

// Statuses lists every status in order.
func Statuses() []Status {
	return []Status{StatusReceived, StatusInProgress, StatusResolved, StatusFollowedUp}
}

// rank is a status's position in Statuses, or -1 when it is unknown.
func (s Status) rank() int {
	for i, v := range Statuses() {
		if v == s {
			return i
		}
	}
	return -1
}

// Valid reports whether s is one of the four statuses.
func (s Status) Valid() bool { return s.rank() >= 0 }

// Open reports whether the office still has something to do on the case.
func (s Status) Open() bool { return s != StatusFollowedUp }

// ParseStatus returns the status named s, or an EINVALID error.
func ParseStatus(s string) (Status, error) {
	st := Status(s)
	if !st.Valid() {
		return "", Errorm(EINVALID, msgUnknownStatus, s)
	}
	return st, nil
}

// CheckTransition reports whether staff may move a case from one status to
// another with the note: forward by any number of steps, back to in_progress
// to reopen a case, or to the same status to add a note. No case goes back to
// received.
func CheckTransition(from, to Status, note string) error {
	switch {
	case !to.Valid():
		return Errorm(EINVALID, msgUnknownNewStatus, to)
	case to == from && note == "":
		return Errorm(EINVALID, msgAlreadyStatus, to)
	case to == from:
		return nil
	case to == StatusReceived:
		return Errorm(ECONFLICT, msgNotBackToReceived)
	case to.rank() < from.rank() && to != StatusInProgress:
		return Errorm(ECONFLICT, msgBackOnlyToInProgress)
	}
	return nil
}
