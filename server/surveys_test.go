package server

import (
	"strings"
	"testing"
)

// The survey handler gets residents' posts and the form with a code; the
// surveys' JSON documents stay static files.
func TestSurveysMountedBelowThePrefix(t *testing.T) {
	h := New(Config{Dir: newSite(t), Prefix: "/cuihu/", Surveys: echoPath("surveys"), StaffSurveys: echoPath("staff-surveys"), Feedback: echoPath("feedback")})
	for _, tc := range []struct {
		method, path string
		status       int
		want         string
	}{
		{"POST", "/cuihu/api/v1/surveys/s/answers", 200, `"handler":"surveys","path":"/api/v1/surveys/s/answers"`},
		{"GET", "/cuihu/api/v1/surveys/s/form?code=X", 200, `"path":"/api/v1/surveys/s/form"`},
		{"GET", "/cuihu/api/v1/site.json", 200, `"title"`},
		{"GET", "/cuihu/staff/surveys/s/", 200, `"handler":"staff-surveys","path":"/staff/surveys/s/"`},
		{"GET", "/cuihu/staff/", 200, `"handler":"feedback"`},
		{"GET", "/cuihu/api/v1/surveys/s/answers", 404, ""},
		{"POST", "/api/v1/surveys/s/answers", 404, ""},
	} {
		res, body := get(t, h, tc.method, tc.path, nil)
		if res.StatusCode != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s %s: StatusCode=%d body=%.80q, want %d with %q", tc.method, tc.path, res.StatusCode, body, tc.status, tc.want)
		}
	}
}
