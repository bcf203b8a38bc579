package feedback

import (
	_ "embed"
	"slices"
)

//go:embed schema/report.schema.json
var reportSchema []byte

// ReportSchema returns the JSON Schema (draft 2020-12) of a Report as
// encoding/json writes it: the shape of lobby feedback report --format
// json and of the staff API's report.
func ReportSchema() []byte { return slices.Clone(reportSchema) }
