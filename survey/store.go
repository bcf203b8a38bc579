package survey

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"strings"
	"time"
)

// Store keeps survey answers and household codes durably, beside the
// feedback cases. Implementations: feedback/sqlite and feedback/postgres;
// survey/surveytest is the suite both pass.
type Store interface {
	// SaveAnswer stores r and returns only once it is durable. An answer
	// of the same respondent to the same survey is replaced (replaced is
	// true). When r.Key is not empty and an answer was stored with that
	// key, nothing is stored and retried is true: the client sent the
	// same post again.
	SaveAnswer(ctx context.Context, r *Response) (replaced, retried bool, err error)
	// Responses returns the answers to the survey, oldest first.
	Responses(ctx context.Context, survey string) ([]*Response, error)
	// AddCodes stores household codes (their hashes, with their units),
	// all or none; a unit that has a code already is an error.
	AddCodes(ctx context.Context, survey string, codes []Code) error
	// Codes returns the survey's codes (hashes and units), by unit.
	Codes(ctx context.Context, survey string) ([]Code, error)
	// CodeUnit returns the unit of the code with the hash, or ErrNotFound.
	CodeUnit(ctx context.Context, survey, hash string) (string, error)
}

// ErrNotFound is what a Store returns for a code it does not have.
var ErrNotFound = errors.New("survey: not found")

// Response is one respondent's answers to a survey.
type Response struct {
	Survey string
	// Respondent names who answered, so that a second answer replaces
	// the first: "code:" and a code's hash, or "browser:" and the hash of
	// the browser's cookie. Never the code or the cookie itself.
	Respondent string
	// Key is the idempotency key the answer was sent with, or "".
	Key       string
	Answers   Answers
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Code is a household code as stored: its hash and the unit it was made
// for.
type Code struct {
	Unit      string
	Hash      string
	CreatedAt time.Time
}

// codeAlphabet leaves out letters that read like digits (I, L, O, U)
// and is case-free, so that a code is read out and typed without doubt.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

var codeEncoding = base32.NewEncoding(codeAlphabet).WithPadding(base32.NoPadding)

// NewCode returns a fresh household code: 50 random bits as ten characters
// of Crockford's base-32, written as two groups of five ("7K2QM-X9D4R").
func NewCode() string {
	b := make([]byte, 7)
	rand.Read(b) // never fails (crypto/rand)
	s := codeEncoding.EncodeToString(b)[:10]
	return s[:5] + "-" + s[5:]
}

// NormalizeCode reads a code as a resident may type it: any case, with or
// without the dash or spaces, O for 0 and I or L for 1.
func NormalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		case r == '-' || r == ' ' || r == '\u3000':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// HashCode returns the hash under which a code is stored: SHA-256 of the
// survey and the normalized code. Codes carry 50 random bits, so a stolen
// store does not give them back; the survey in the hash keeps one
// survey's codes from matching another's.
func HashCode(survey, code string) string {
	sum := sha256.Sum256([]byte(survey + "\x00" + NormalizeCode(code)))
	return hex.EncodeToString(sum[:])
}

// HashBrowser returns the respondent of a browser's cookie token.
func HashBrowser(survey, token string) string {
	sum := sha256.Sum256([]byte("browser\x00" + survey + "\x00" + token))
	return "browser:" + hex.EncodeToString(sum[:])
}

// CodeRespondent returns the respondent of a code's hash.
func CodeRespondent(hash string) string { return "code:" + hash }
