// Package feedback holds residents' submissions to the property-management
// office: the case type and its validation, reference numbers, statuses and
// their history, the Store interface that keeps cases, and the HTTP handlers
// for residents and staff. It knows nothing of the site or of search;
// cmd/lobby converts the site's configuration into a Config and wires a Store.
package feedback

import "time"

// Case is one submission as the office keeps it: what the resident sent,
// its reference number and the history of its status.
type Case struct {
	Ref       string    `json:"ref"`
	Category  Category  `json:"category"`
	Name      string    `json:"name"`
	Unit      string    `json:"unit"`
	Contact   string    `json:"contact"`
	Message   string    `json:"message"`
	Status    Status    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	History   []Event   `json:"history"`
	// OverdueNotifiedAt is when notify_command was run because the case
	// had become overdue; zero until then. It is set once per case.
	OverdueNotifiedAt time.Time `json:"overdue_notified_at,omitzero"`

	// Key is the client's idempotency key, empty when none was sent.
	Key string `json:"-"`
	// Fingerprint identifies the submitted content, so that a retry with
	// the same Key can be told apart from a different submission.
	Fingerprint string `json:"-"`
}

// Event is one entry of a case's history at a moment: a change of status,
// a staff note, or a follow-up verdict. Status is the case's status after
// the event.
type Event struct {
	At     time.Time `json:"at"`
	Status Status    `json:"status"`
	// Note is written by staff for staff; it is never shown to residents.
	Note string `json:"note,omitempty"`
	// By is the display name the staff member gave at login (or with
	// --by, or "by" in the API); empty for the resident's own answer and
	// for events recorded before names were kept.
	By string `json:"by,omitempty"`
	// Verdict, when set, is the resident's answer to the follow-up that
	// this event records; Comment is what they added, and Via says
	// whether they gave it on the status page or to staff on the phone.
	Verdict Verdict `json:"verdict,omitempty"`
	Comment string  `json:"comment,omitempty"`
	Via     Via     `json:"via,omitempty"`
}

// Filter selects cases for listing and export; its zero value selects all.
type Filter struct {
	// Status, when set, keeps only cases in this status.
	Status Status
	// Open, when true, keeps only cases that are not followed up yet.
	Open bool
	// Pending, when true, keeps only the cases the office still has to
	// act on: received or in progress (not resolved, not followed up).
	Pending bool
	// Category, when set, keeps only cases of this category.
	Category Category
	// Unit, when set, keeps only cases whose unit starts with it: "3-"
	// selects building 3 when units are written "3-1201".
	Unit string
	// Since, when set, keeps only cases created at or after it.
	Since time.Time
	// Until, when set, keeps only cases created before it.
	Until time.Time
	// Newest, when true, lists the newest cases first; otherwise the
	// oldest come first.
	Newest bool
	// After, when not zero, keeps only the cases that come after it in
	// the list's order (creation time, then reference, reversed when
	// Newest is true).
	After Cursor
	// Limit, when positive, caps the number of cases returned.
	Limit int
}

// NewCase makes a case in status received from a validated submission,
// created at now.
func NewCase(s Submission, now time.Time) *Case {
	now = now.UTC()
	return &Case{
		Category:    s.Category,
		Name:        s.Name,
		Unit:        s.Unit,
		Contact:     s.Contact,
		Message:     s.Message,
		Status:      StatusReceived,
		CreatedAt:   now,
		UpdatedAt:   now,
		History:     []Event{{At: now, Status: StatusReceived}},
		Key:         s.Key,
		Fingerprint: s.Fingerprint(),
	}
}
