package msg

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEveryMessageHasBothLanguages reads every msg.Message literal in the
// module and checks that it has an English and a Chinese text taking the
// same arguments, so that a message added in one language only, or whose
// translation lost a %d, fails here rather than printing %!d(MISSING) to
// staff.
func TestEveryMessageHasBothLanguages(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules" || name == "public") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		inMsg := f.Name.Name == "msg"
		ast.Inspect(f, func(node ast.Node) bool {
			lit, ok := node.(*ast.CompositeLit)
			if !ok || !isMessageType(lit.Type, inMsg) {
				return true
			}
			n++
			pos := fset.Position(lit.Pos())
			en, zh, err := messageTexts(lit)
			if err == nil {
				err = CheckPair(en, zh)
			}
			if err != nil {
				t.Errorf("%s: %v", pos, err)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("found no msg.Message literals: is the walk looking in the module?")
	}
}

func isMessageType(e ast.Expr, inMsg bool) bool {
	switch e := e.(type) {
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		return ok && x.Name == "msg" && e.Sel.Name == "Message"
	case *ast.Ident:
		return inMsg && e.Name == "Message"
	}
	return false
}

// messageTexts returns the En and Zh strings of a Message literal, which
// must be constant strings so that they can be checked here.
func messageTexts(lit *ast.CompositeLit) (en, zh string, err error) {
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			return "", "", fmt.Errorf("write msg.Message{En: …, Zh: …} with field names")
		}
		key, _ := kv.Key.(*ast.Ident)
		s, ok := constString(kv.Value)
		if !ok || key == nil {
			return "", "", fmt.Errorf("msg.Message fields must be string literals")
		}
		switch key.Name {
		case "En":
			en = s
		case "Zh":
			zh = s
		}
	}
	return en, zh, nil
}

func constString(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := constString(e.X)
		b, ok2 := constString(e.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return constString(e.X)
	}
	return "", false
}

func TestCheckPair(t *testing.T) {
	tests := []struct {
		en, zh string
		ok     bool
	}{
		{"unknown key %q", "未知的键 %q", true},
		{"%s is more than %d", "%[2]d 小于 %[1]s", true},
		{"%d errors", "%d 个错误", true},
		{"100%% done", "完成 100%%", true},
		{"unknown key %q", "未知的键 %s", false},
		{"unknown key %q", "未知的键", false},
		{"unknown key %q", "", false},
		{"unknown key %q", "unknown key %q", false},
		{"%s: %v", "%s: %v", true},
	}
	for _, tc := range tests {
		err := CheckPair(tc.en, tc.zh)
		if (err == nil) != tc.ok {
			t.Errorf("CheckPair(%q, %q) = %v, want ok %v", tc.en, tc.zh, err, tc.ok)
		}
	}
}
