// Package schematest checks JSON documents against a JSON Schema in tests,
// so that every test of a published JSON shape compiles its schema the
// same way (draft 2020-12, formats asserted).
package schematest

import (
	"bytes"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Check fails t when data is not JSON that schema accepts. name names the
// schema in messages.
func Check(t testing.TB, name string, schema, data []byte) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(name, doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	sch, err := c.Compile(name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("does not match %s: %v\n%s", name, err, data)
	}
}
