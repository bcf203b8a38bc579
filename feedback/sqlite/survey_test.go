package sqlite

import (
	"testing"

	"github.com/lobby-community/lobby/survey"
	"github.com/lobby-community/lobby/survey/surveytest"
)

func TestSurveyStore(t *testing.T) {
	surveytest.Run(t, func(t *testing.T) survey.Store { return openTest(t) })
}
