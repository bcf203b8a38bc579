package site

import (
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// taskCheckBoxRenderer renders a task list's check box with an accessible
// name: goldmark's own has none, which screen readers announce as an
// unlabelled control.
type taskCheckBoxRenderer struct {
	done, todo string
}

// RegisterFuncs implements renderer.NodeRenderer.
func (r taskCheckBoxRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(extast.KindTaskCheckBox, r.render)
}

func (r taskCheckBoxRenderer) render(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	if node.(*extast.TaskCheckBox).IsChecked {
		w.WriteString(`<input checked="" disabled="" type="checkbox" aria-label="` + r.done + `"> `)
	} else {
		w.WriteString(`<input disabled="" type="checkbox" aria-label="` + r.todo + `"> `)
	}
	return ast.WalkContinue, nil
}

// taskLabels are the accessible names of checked and unchecked task boxes.
func taskLabels(lang string) taskCheckBoxRenderer {
	if lang == "en" {
		return taskCheckBoxRenderer{done: "done", todo: "to do"}
	}
	return taskCheckBoxRenderer{done: "已完成", todo: "未完成"}
}
