package feedback

import (
	"crypto/rand"
	"strings"
)

// RefAlphabet holds the characters of reference numbers: digits and capital
// letters without 0, O, 1, I and L, which are easily mixed up when a
// resident reads a reference out on the phone.
const RefAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// RefLength is the number of characters of a reference number; 31⁸ is about
// 8.5 × 10¹¹ references, so collisions are rare and retried.
const RefLength = 8

// NewRef returns a random reference number.
func NewRef() string {
	const n = len(RefAlphabet)
	// Bytes below limit map evenly onto the alphabet; others are dropped.
	const limit = 256 - 256%n
	var b [RefLength]byte
	var buf [2 * RefLength]byte
	for i := 0; i < RefLength; {
		rand.Read(buf[:]) // never fails (crypto/rand)
		for _, c := range buf {
			if int(c) < limit && i < RefLength {
				b[i] = RefAlphabet[int(c)%n]
				i++
			}
		}
	}
	return string(b[:])
}

// ParseRef normalises a reference as a resident may type it (lower case,
// spaces or dashes between groups) and reports whether it is well formed.
func ParseRef(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(s)))
	if len(s) != RefLength {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(RefAlphabet, s[i]) < 0 {
			return "", false
		}
	}
	return s, true
}
