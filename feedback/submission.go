package feedback

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Category is what a submission is about.
type Category string

// The categories a resident can choose from.
const (
	CategoryInquiry    Category = "inquiry"
	CategoryComplaint  Category = "complaint"
	CategoryRepair     Category = "repair"
	CategorySuggestion Category = "suggestion"
	CategoryPraise     Category = "praise"
)

// Categories lists every category in the order a form shows them.
func Categories() []Category {
	return []Category{CategoryInquiry, CategoryComplaint, CategoryRepair, CategorySuggestion, CategoryPraise}
}

// Valid reports whether c is one of the five categories.
func (c Category) Valid() bool {
	for _, v := range Categories() {
		if v == c {
			return true
		}
	}
	return false
}

// Field names of a submission, as in the form and the JSON body.
const (
	FieldCategory = "category"
	FieldName     = "name"
	FieldUnit     = "unit"
	FieldContact  = "contact"
	FieldMessage  = "message"
	FieldConsent  = "consent"
	FieldKey      = "key"
	// FieldWebsite is the honeypot: people leave it empty, bots fill it.
	FieldWebsite = "website"
	// FieldForm names errors about the whole submission rather than a field.
	FieldForm = "form"
)

// Limits on the length of fields, in characters.
const (
	MaxNameLength    = 100
	MaxUnitLength    = 50
	MaxContactLength = 200
	MaxMessageLength = 5000
	MinKeyLength     = 8
	MaxKeyLength     = 128
)

// Field error codes besides those of text: required, too_long and invalid.
const (
	codeChoice     = "choice"
	codeConsent    = "consent"
	codeUnreadable = "unreadable" // the body is not a form or JSON object
	codeKeyReused  = "key_reused" // the key came before with other content
)

// Submission is what a resident sends, before it becomes a Case.
type Submission struct {
	Category Category
	Name     string
	Unit     string
	Contact  string
	Message  string
	Consent  bool
	// Key is the optional idempotency key: a retry with the same key
	// returns the first answer and stores nothing new.
	Key string
}

// Validate cleans s in place (trimming, CRLF to LF) and returns a
// *ValidationError naming every field at fault, or nil.
func (s *Submission) Validate() error {
	fields := map[string]string{}
	text := func(name string, v *string, max int, multiline, required bool) {
		clean, code := cleanText(*v, max, multiline)
		if code == "" && required && clean == "" {
			code = codeRequired
		}
		if code != "" {
			fields[name] = code
			return
		}
		*v = clean
	}
	if !s.Category.Valid() {
		fields[FieldCategory] = codeChoice
	}
	text(FieldName, &s.Name, MaxNameLength, false, false)
	text(FieldUnit, &s.Unit, MaxUnitLength, false, false)
	text(FieldContact, &s.Contact, MaxContactLength, false, false)
	text(FieldMessage, &s.Message, MaxMessageLength, true, true)
	if !s.Consent {
		fields[FieldConsent] = codeConsent
	}
	if !validKey(s.Key) {
		fields[FieldKey] = codeInvalid
	}
	if len(fields) > 0 {
		return &ValidationError{Fields: fields}
	}
	return nil
}

// validKey reports whether k is empty or a token such as a UUID.
func validKey(k string) bool {
	if k == "" {
		return true
	}
	if len(k) < MinKeyLength || len(k) > MaxKeyLength {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.:", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

// Fingerprint identifies the content of a validated submission, so that a
// retry of it can be told from a different submission sent with one key.
func (s Submission) Fingerprint() string {
	h := sha256.New()
	for _, v := range []string{string(s.Category), s.Name, s.Unit, s.Contact, s.Message} {
		h.Write([]byte(v))
		h.Write([]byte{0}) // fields hold no control characters
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
