package site

import (
	"html/template"
	"reflect"
	"slices"
	"strings"
	"text/template/parse"
)

// What a layout reads decides what a rebuild must render again. A change
// to the site as list pages show it (a title, a date, a tag, a page added
// or removed) may show on any page, so it renders every page again; a
// change to page bodies only (Content, Text, TOC) renders again the files
// that read those bodies. Which those are is known for the files made in
// Go; for templates, bodyReads follows every value a layout set can reach,
// by its Go type, and reports whether the set may read the body of a page
// other than the one it renders (or than the pages in its .Data), and what
// it reads of .Site.Now, the only input besides the pages that changes from
// one build to the next.

// layoutDeps is what bodyReads finds in one layout set.
type layoutDeps struct {
	// otherBodies: the set may read the body of any page.
	otherBodies bool
	// kidBodies: the set may read the bodies of the pages and sections that
	// the page it renders lists (.Page.Pages, .Page.Sections).
	kidBodies bool
	// nowAll: the set may read all of .Site.Now; else nowCalls are what it
	// makes of it: its methods called with no argument or constant strings,
	// as ".Year" for {{.Site.Now.Year}} and ".Format\x0015:04" for
	// {{.Site.Now.Format "15:04"}}, and the functions it is handed to
	// alone, as "date" for {{date .Site.Now}}.
	nowAll   bool
	nowCalls map[string]bool
	// why names the first template and action that reads other bodies.
	why string
}

// valKind says where a value in a template comes from.
type valKind uint8

const (
	kScalar   valKind = iota // leads to no page
	kView                    // the View the layout is executed with
	kSite                    // .Site
	kNow                     // .Site.Now
	kOwn                     // .Page, the page being rendered
	kKids                    // .Page.Pages or .Page.Sections
	kKid                     // one of them
	kOwnBody                 // a body of .Page, of a kid or of a page in .Data, or part of one
	kData                    // .Data
	kDataPart                // a field or element of .Data, such as a chapter's page
	kOther                   // anything else, which may be any page
)

// val is a value as bodyReads follows it: where it comes from and its Go
// type (nil when unknown).
type val struct {
	k valKind
	t reflect.Type
}

var (
	viewType = reflect.TypeFor[*View]()
	pageType = reflect.TypeFor[Page]()
)

// safePageMethods are the methods of Page that read nothing of its body.
var safePageMethods = map[string]bool{"IsPage": true, "IsSection": true, "Ancestors": true}

// bodyFields are the fields of a Page that its body makes.
var bodyFields = map[string]bool{"Content": true, "Text": true, "TOC": true}

// opaqueFuncs are the template functions that read no more of their
// arguments than their Go type shows (a time, a number, a length), with the
// type of their result; nil means "of the same type as the last argument"
// (first) or "the element type of the first" (index).
var opaqueFuncs = map[string]reflect.Type{
	"t": reflect.TypeFor[string](), "date": reflect.TypeFor[string](), "datetime": reflect.TypeFor[string](),
	"isodate": reflect.TypeFor[string](), "isZero": reflect.TypeFor[bool](), "tel": reflect.TypeFor[template.URL](),
	"relURL": reflect.TypeFor[string](), "add": reflect.TypeFor[int](), "len": reflect.TypeFor[int](), "not": reflect.TypeFor[bool](),
	"eq": reflect.TypeFor[bool](), "ne": reflect.TypeFor[bool](), "lt": reflect.TypeFor[bool](),
	"le": reflect.TypeFor[bool](), "gt": reflect.TypeFor[bool](), "ge": reflect.TypeFor[bool](),
	"first": nil, "index": nil, "slice": nil,
}

// timeFuncs are the template functions of one time.Time alone.
var timeFuncs = map[string]bool{"date": true, "datetime": true, "isodate": true, "isZero": true}

// constCall returns the key in nowCalls of a method called with args,
// and whether they are none or all constant strings.
func constCall(method string, args []parse.Node) (string, bool) {
	key := "." + method
	for _, a := range args {
		s, ok := a.(*parse.StringNode)
		if !ok {
			return "", false
		}
		key += "\x00" + s.Text
	}
	return key, true
}

// stringFuncs are the template functions that print their arguments into
// a string.
var stringFuncs = map[string]bool{"print": true, "printf": true, "println": true, "html": true, "js": true, "urlquery": true}

// depWalker follows the values of one layout set.
type depWalker struct {
	set   *template.Template
	at    string       // the template and node being walked, for why
	data  reflect.Type // the type of .Data
	deps  layoutDeps
	done  map[string]bool // template name and dot already walked
	holds map[reflect.Type]bool
}

// bodyReads finds what the layout set reads, starting from baseof.html
// executed with a *View whose Data is of type data (nil when there is no
// Data).
func bodyReads(set *template.Template, data reflect.Type) layoutDeps {
	w := &depWalker{set: set, data: data, done: map[string]bool{}, holds: map[reflect.Type]bool{}, deps: layoutDeps{nowCalls: map[string]bool{}}}
	w.template("baseof.html", val{kView, viewType})
	return w.deps
}

func (w *depWalker) template(name string, dot val) {
	key := name + "\x00" + string(rune('0'+dot.k))
	if dot.t != nil {
		key += dot.t.String()
	}
	if w.done[key] {
		return
	}
	w.done[key] = true
	defer func(at string) { w.at = at }(w.at)
	t := w.set.Lookup(name)
	if t == nil || t.Tree == nil || t.Tree.Root == nil {
		return // executing it fails; nothing is read
	}
	vars := map[string]val{"$": dot}
	w.list(t.Tree.Root, dot, vars)
}

func (w *depWalker) list(l *parse.ListNode, dot val, vars map[string]val) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		w.node(n, dot, vars)
	}
}

func (w *depWalker) node(n parse.Node, dot val, vars map[string]val) {
	if w.deps.why == "" {
		w.at = n.String()
	}
	switch n := n.(type) {
	case *parse.ActionNode:
		v := w.pipe(n.Pipe, dot, vars)
		if len(n.Pipe.Decl) == 0 {
			w.printed(v)
		}
	case *parse.IfNode:
		inner := w.scope(vars)
		w.pipe(n.Pipe, dot, inner)
		w.list(n.List, dot, inner)
		w.list(n.ElseList, dot, inner)
		w.merge(vars, inner)
	case *parse.WithNode:
		inner := w.scope(vars)
		v := w.pipe(n.Pipe, dot, inner)
		w.list(n.List, v, inner)
		w.list(n.ElseList, dot, inner)
		w.merge(vars, inner)
	case *parse.RangeNode:
		inner := w.scope(vars)
		v := w.pipe(n.Pipe, dot, inner)
		e := w.elem(v)
		if len(n.Pipe.Decl) == 2 {
			inner[n.Pipe.Decl[0].Ident[0]] = val{kScalar, nil} // the index or key
			inner[n.Pipe.Decl[1].Ident[0]] = e
		} else if len(n.Pipe.Decl) == 1 {
			inner[n.Pipe.Decl[0].Ident[0]] = e
		}
		// Twice, so that what one pass assigns reaches the next.
		w.list(n.List, e, inner)
		w.list(n.List, e, inner)
		w.list(n.ElseList, dot, inner)
		w.merge(vars, inner)
	case *parse.TemplateNode:
		arg := val{kScalar, nil}
		if n.Pipe != nil {
			arg = w.pipe(n.Pipe, dot, vars)
		}
		w.template(n.Name, arg)
	case *parse.ListNode:
		w.list(n, dot, vars)
	}
}

// scope returns the variables of a control structure's body: those of the
// enclosing one, which the body may assign.
func (w *depWalker) scope(vars map[string]val) map[string]val {
	inner := make(map[string]val, len(vars))
	for k, v := range vars {
		inner[k] = v
	}
	return inner
}

// merge joins into vars what a body's assignments may have made of them.
// (A variable the body declares anew shadows the outer one only in the
// body, so joining it too is more than needed, never less.)
func (w *depWalker) merge(vars, inner map[string]val) {
	for k, v := range vars {
		vars[k] = join(v, inner[k])
	}
}

// pipe follows a pipeline and returns its value, declaring or assigning
// its variables.
func (w *depWalker) pipe(p *parse.PipeNode, dot val, vars map[string]val) val {
	if p == nil {
		return val{kScalar, nil}
	}
	var v val
	for i, c := range p.Cmds {
		var final *val
		if i > 0 {
			final = &v
		}
		v = w.command(c, dot, vars, final)
	}
	for _, d := range p.Decl {
		name := d.Ident[0]
		if old, ok := vars[name]; ok && p.IsAssign {
			vars[name] = join(old, v)
		} else {
			vars[name] = v
		}
	}
	return v
}

// command follows one command of a pipeline; final is the value piped in.
func (w *depWalker) command(c *parse.CommandNode, dot val, vars map[string]val, final *val) val {
	if len(c.Args) == 0 {
		return val{kScalar, nil}
	}
	args := make([]val, 0, len(c.Args))
	for _, a := range c.Args[1:] {
		args = append(args, w.arg(a, dot, vars))
	}
	if final != nil {
		args = append(args, *final)
	}
	if id, ok := c.Args[0].(*parse.IdentifierNode); ok {
		if id.Ident == "cached" && len(c.Args) > 2 {
			// cached "partials/x.html" ARG KEYS... executes the partial with
			// ARG, like {{template "partials/x.html" ARG}}.
			if name, ok := c.Args[1].(*parse.StringNode); ok {
				w.template(name.Text, args[1])
				return val{kScalar, reflect.TypeFor[template.HTML]()}
			}
		}
		return w.call(id.Ident, args)
	}
	// A field, method or variable, called with arguments when it has any.
	for _, a := range args {
		w.printed(a) // a method may do anything with its arguments
	}
	argNodes := c.Args[1:]
	if final != nil {
		argNodes = append(slices.Clip(argNodes), nil) // a value, not a constant
	}
	return w.operand(c.Args[0], dot, vars, argNodes)
}

// arg follows one argument of a command.
func (w *depWalker) arg(n parse.Node, dot val, vars map[string]val) val {
	if p, ok := n.(*parse.PipeNode); ok {
		return w.pipe(p, dot, vars)
	}
	return w.operand(n, dot, vars, nil)
}

// operand follows a value: dot, a variable, a field chain, a constant.
// args are the argument nodes that the last element of a chain is called
// with: none when it is not called, and a nil node for a value piped in.
func (w *depWalker) operand(n parse.Node, dot val, vars map[string]val, args []parse.Node) val {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.VariableNode:
		v, ok := vars[n.Ident[0]]
		if !ok {
			v = val{kOther, nil}
		}
		return w.fields(v, n.Ident[1:], args)
	case *parse.FieldNode:
		return w.fields(dot, n.Ident, args)
	case *parse.ChainNode:
		var base val
		switch b := n.Node.(type) {
		case *parse.PipeNode:
			base = w.pipe(b, dot, vars)
		default:
			base = w.operand(b, dot, vars, nil)
		}
		return w.fields(base, n.Field, args)
	case *parse.PipeNode:
		return w.pipe(n, dot, vars)
	case *parse.IdentifierNode:
		return w.call(n.Ident, nil)
	}
	switch n := n.(type) {
	case *parse.StringNode:
		return val{kScalar, reflect.TypeFor[string]()}
	case *parse.BoolNode:
		return val{kScalar, reflect.TypeFor[bool]()}
	case *parse.NumberNode:
		if n.IsInt {
			return val{kScalar, reflect.TypeFor[int]()}
		}
		return val{kScalar, reflect.TypeFor[float64]()}
	}
	return val{kScalar, nil} // nil
}

// fields follows a chain of field and method names from v.
func (w *depWalker) fields(v val, names []string, args []parse.Node) val {
	for i, name := range names {
		if i < len(names)-1 {
			v = w.field(v, name, nil)
		} else {
			v = w.field(v, name, args)
		}
	}
	return v
}

func (w *depWalker) field(v val, name string, args []parse.Node) val {
	t := fieldType(v.t, name)
	if (v.k == kOther || v.k == kKid) && v.t != nil && deref(v.t) == pageType && !safePageMethods[name] {
		if _, isField := pageType.FieldByName(name); !isField {
			// A method of another page might read its body.
			if v.k == kKid {
				w.deps.kidBodies = true
			} else {
				w.other()
			}
		}
	}
	switch v.k {
	case kScalar:
		return val{kScalar, t}
	case kView:
		switch name {
		case "Page":
			return val{kOwn, t}
		case "Data":
			if w.data != nil {
				t = w.data
			}
			return val{kData, t}
		case "Site":
			return val{kSite, t}
		}
	case kSite:
		if name == "Now" {
			return val{kNow, t}
		}
	case kNow:
		if key, ok := constCall(name, args); ok {
			w.deps.nowCalls[key] = true
		} else {
			w.deps.nowAll = true
		}
		return val{kScalar, t}
	case kOwn:
		if bodyFields[name] {
			return val{kOwnBody, t}
		}
		if name == "Pages" || name == "Sections" {
			return val{kKids, t}
		}
	case kKid:
		if bodyFields[name] {
			w.deps.kidBodies = true
			return val{kOwnBody, t}
		}
	case kOwnBody:
		return val{kOwnBody, t}
	case kData:
		return val{kDataPart, t}
	case kDataPart:
		if bodyFields[name] {
			return val{kOwnBody, t}
		}
	case kOther:
		if bodyFields[name] {
			w.other()
		}
	}
	return val{kOther, t}
}

// call follows a function call with its arguments' values.
func (w *depWalker) call(name string, args []val) val {
	res, opaque := opaqueFuncs[name]
	switch {
	case name == "and" || name == "or":
		v := val{kScalar, nil}
		for i, a := range args {
			if i == 0 {
				v = a
			} else {
				v = join(v, a)
			}
		}
		return v
	case !opaque:
		for _, a := range args {
			w.printed(a)
		}
		if stringFuncs[name] || strings.HasPrefix(name, "_html_template_") {
			return val{kScalar, reflect.TypeFor[string]()}
		}
		return val{kOther, nil}
	}
	if len(args) == 1 && args[0].k == kNow && timeFuncs[name] {
		w.deps.nowCalls[name] = true
		return val{kScalar, res}
	}
	for _, a := range args {
		if a.k == kNow {
			w.deps.nowAll = true
		}
	}
	switch name {
	case "first", "slice":
		if len(args) == 0 {
			return val{kScalar, nil}
		}
		if name == "first" {
			return args[len(args)-1]
		}
		return args[0]
	case "index":
		if len(args) == 0 {
			return val{kScalar, nil}
		}
		v := args[0]
		for range args[1:] {
			v = w.elem(v)
		}
		return v
	}
	return val{kScalar, res}
}

// elem is the value of an element of v, as range and index give it.
func (w *depWalker) elem(v val) val {
	var t reflect.Type
	if v.t != nil {
		switch bt := deref(v.t); bt.Kind() {
		case reflect.Slice, reflect.Array, reflect.Map, reflect.Chan:
			t = bt.Elem()
		case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint64, reflect.Uint32:
			t = bt
		}
	}
	switch v.k {
	case kScalar, kOwnBody:
		return val{v.k, t}
	case kData, kDataPart:
		return val{kDataPart, t}
	case kKids:
		return val{kKid, t}
	case kNow:
		w.deps.nowAll = true
		return val{kScalar, t}
	}
	return val{kOther, t}
}

// printed records that v is printed or handed to a function that may read
// all of it, such as printf.
func (w *depWalker) printed(v val) {
	switch v.k {
	case kNow:
		w.deps.nowAll = true
	case kView, kSite, kOther:
		if w.holdsPage(v.t) {
			w.other()
		}
	}
}

func (w *depWalker) other() {
	if !w.deps.otherBodies {
		w.deps.otherBodies = true
		w.deps.why = w.at
	}
}

// holdsPage reports whether a value of type t may hold a Page; an unknown
// type may.
func (w *depWalker) holdsPage(t reflect.Type) bool {
	if t == nil {
		return true
	}
	if h, ok := w.holds[t]; ok {
		return h
	}
	w.holds[t] = false // a type that refers to itself holds no more through that
	h := false
	switch t.Kind() {
	case reflect.Interface:
		h = true
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Chan:
		h = w.holdsPage(t.Elem())
	case reflect.Map:
		h = w.holdsPage(t.Key()) || w.holdsPage(t.Elem())
	case reflect.Struct:
		h = t == pageType
		for i := 0; i < t.NumField() && !h; i++ {
			if t.Field(i).IsExported() {
				h = w.holdsPage(t.Field(i).Type)
			}
		}
	}
	w.holds[t] = h
	return h
}

// join is a value that may be either a or b. A scalar leads to no page,
// so it adds nothing to the other.
func join(a, b val) val {
	if a.k == kScalar && b.k != kScalar {
		return b
	}
	if b.k == kScalar && a.k != kScalar {
		return a
	}
	v := val{kOther, nil}
	if a.k == b.k {
		v.k = a.k
	}
	if a.t == b.t {
		v.t = a.t
	}
	return v
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// fieldType is the type of t's field or method name as a template reads
// it, or nil when unknown.
func fieldType(t reflect.Type, name string) reflect.Type {
	if t == nil {
		return nil
	}
	if m, ok := t.MethodByName(name); ok && m.Type.NumOut() > 0 {
		return m.Type.Out(0)
	}
	if t.Kind() != reflect.Pointer {
		if m, ok := reflect.PointerTo(t).MethodByName(name); ok && m.Type.NumOut() > 0 {
			return m.Type.Out(0)
		}
	}
	bt := deref(t)
	switch bt.Kind() {
	case reflect.Struct:
		if f, ok := bt.FieldByName(name); ok && f.IsExported() {
			return f.Type
		}
	case reflect.Map:
		return bt.Elem()
	}
	return nil
}
