package site

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Amount is an exact decimal sum of money. Front matter writes it as a
// string ("1234.50") or an integer; floating-point numbers are refused,
// because money must not pass through binary floating point.
type Amount struct {
	// Value is the amount. It is a named field, not embedded, because
	// decimal.Decimal's Format method would otherwise format amounts
	// without grouping in templates.
	Value decimal.Decimal
	Set   bool // the amount was written
}

// UnmarshalTOML implements toml.Unmarshaler.
func (a *Amount) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case int64:
		*a = Amount{decimal.NewFromInt(v), true}
		return nil
	case string:
		return a.parse(v)
	case float64:
		return fmt.Errorf("amount %v is a floating-point number: write it as a string such as \"%.2f\"", v, v)
	default:
		return fmt.Errorf("amount %v is not a number: write it as a string such as \"1234.50\"", v)
	}
}

// UnmarshalYAML implements yaml.InterfaceUnmarshaler; YAML amounts are read
// as text so that "1234.50" and 1234.50 are both exact.
func (a *Amount) UnmarshalYAML(unmarshal func(any) error) error {
	var s string
	if err := unmarshal(&s); err != nil {
		return err
	}
	return a.parse(s)
}

func (a *Amount) parse(s string) error {
	clean := strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	d, err := decimal.NewFromString(clean)
	if err != nil || strings.ContainsAny(clean, "eE") {
		return &badValue{raw: s, kind: kindAmount, why: fmt.Sprintf("amount %q is not a decimal number such as \"1234.50\"", s)}
	}
	*a = Amount{d, true}
	return nil
}

// String formats the amount with grouped thousands and two decimals:
// "1,234,567.80".
func (a Amount) String() string {
	s := a.Value.StringFixed(2)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	b.WriteByte('.')
	b.WriteString(frac)
	return b.String()
}

// Plain formats the amount with two decimals and no grouping, for CSV and JSON.
func (a Amount) Plain() string { return a.Value.StringFixed(2) }
