package feedback

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// MaxBodyBytes bounds the body of a submission.
const MaxBodyBytes = 64 << 10

// bodyKind is the media type of a submission's body.
type bodyKind int

const (
	bodyForm bodyKind = iota + 1
	bodyJSON
)

// requestKind returns the media type of r's body, or an EUNSUPPORTED error.
func requestKind(r *http.Request) (bodyKind, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err == nil {
		switch mt {
		case "application/x-www-form-urlencoded":
			return bodyForm, nil
		case "application/json":
			return bodyJSON, nil
		}
	}
	return 0, Errorf(EUNSUPPORTED, "Send the feedback as a form (application/x-www-form-urlencoded) or as JSON (application/json).")
}

// rawSubmission is a submission as it arrived, before validation: the
// text typed, for showing the form again, and errors about the shape of
// the body or of JSON values.
type rawSubmission struct {
	values map[string]string
	errors map[string]string // field → code
}

// textFields are the submission's text fields, in the form's order.
var textFields = []string{FieldCategory, FieldName, FieldUnit, FieldContact, FieldMessage, FieldKey, FieldWebsite}

// decodeBody reads the body of r (already bounded by MaxBytesReader) as a
// form or as a JSON object. It returns ETOOLARGE when the body is over the
// limit; any other unreadable body is a field error on "form".
func decodeBody(r *http.Request, kind bodyKind) (rawSubmission, error) {
	raw := rawSubmission{values: map[string]string{}, errors: map[string]string{}}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return raw, Errorf(ETOOLARGE, "The submission is too large: please shorten the message.")
		}
		return raw, Errorf(EINVALID, "The submission could not be read.")
	}
	switch kind {
	case bodyForm:
		decodeForm(body, &raw)
	case bodyJSON:
		decodeJSON(body, &raw)
	}
	if h := r.Header.Get("Idempotency-Key"); h != "" {
		if k, ok := raw.values[FieldKey]; ok && k != h {
			raw.errors[FieldKey] = codeInvalid
		}
		raw.values[FieldKey] = h
	}
	return raw, nil
}

func decodeForm(body []byte, raw *rawSubmission) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		raw.errors[FieldForm] = codeUnreadable
		return
	}
	for _, f := range textFields {
		if vs := form[f]; len(vs) > 0 {
			raw.values[f] = vs[0]
		}
	}
	if vs := form[FieldConsent]; len(vs) > 0 {
		raw.values[FieldConsent] = vs[0]
	}
}

func decodeJSON(body []byte, raw *rawSubmission) {
	var obj map[string]json.RawMessage
	if !utf8.Valid(body) || json.Unmarshal(body, &obj) != nil || obj == nil {
		raw.errors[FieldForm] = codeUnreadable
		return
	}
	for _, f := range textFields {
		v, ok := obj[f]
		if !ok || bytes.Equal(v, []byte("null")) {
			continue
		}
		var s string
		if json.Unmarshal(v, &s) != nil {
			raw.errors[f] = codeInvalid
			continue
		}
		raw.values[f] = s
	}
	if v, ok := obj[FieldConsent]; ok {
		var b bool
		if json.Unmarshal(v, &b) != nil {
			var s string
			if json.Unmarshal(v, &s) != nil {
				raw.errors[FieldConsent] = codeConsent
				return
			}
			raw.values[FieldConsent] = s
		} else if b {
			raw.values[FieldConsent] = "true"
		}
	}
}

// submission turns the raw values into a Submission to validate.
func (raw rawSubmission) submission() Submission {
	consent := strings.ToLower(strings.TrimSpace(raw.values[FieldConsent]))
	return Submission{
		Category: Category(strings.TrimSpace(raw.values[FieldCategory])),
		Name:     raw.values[FieldName],
		Unit:     raw.values[FieldUnit],
		Contact:  raw.values[FieldContact],
		Message:  raw.values[FieldMessage],
		Consent:  consent == "on" || consent == "true" || consent == "1" || consent == "yes",
		Key:      strings.TrimSpace(raw.values[FieldKey]),
	}
}

// typed returns the values to show in the form again, as valid UTF-8 and
// without the honeypot.
func (raw rawSubmission) typed() map[string]string {
	out := make(map[string]string, len(raw.values))
	for k, v := range raw.values {
		if k != FieldWebsite {
			out[k] = strings.ToValidUTF8(v, "\uFFFD")
		}
	}
	return out
}
