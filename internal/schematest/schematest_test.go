package schematest

import "testing"

// Check must refuse a document its schema does not describe, or every
// test that relies on it passes whatever it is given.
func TestCheckRefusesWhatTheSchemaDoesNot(t *testing.T) {
	schema := []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
		"required": ["month"], "properties": {"month": {"type": "string"}}}`)
	Check(t, "s.json", schema, []byte(`{"month": "2026-11"}`))

	ft := &fakeT{TB: t}
	Check(ft, "s.json", schema, []byte(`{"month": 11}`))
	if !ft.failed {
		t.Error("a month that is a number passed the schema")
	}
}

// fakeT records a failure instead of failing the test.
type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Helper()               {}
func (f *fakeT) Errorf(string, ...any) { f.failed = true }
func (f *fakeT) Fatalf(string, ...any) { f.failed = true }
