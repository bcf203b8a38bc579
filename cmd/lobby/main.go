// Command lobby builds and serves the website of a residential community.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/lobby-community/lobby/internal/msg"
	"github.com/lobby-community/lobby/site"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfile := startProfile(os.Getenv("LOBBY_CPUPROFILE"))
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stopProfile()
	stop()
	if err != nil {
		if !errors.Is(err, errReported) && !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "lobby:", msg.ErrorIn(err, staffLang(os.Args[1:], os.Getenv)))
		}
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		os.Exit(1)
	}
}

// errReported is returned by a command that has already printed its errors.
var errReported = errors.New("errors reported")

// command is one subcommand of lobby: it parses its own flags and runs.
type command interface {
	// Run parses args (flags may stand before or after the arguments) and runs.
	Run(ctx context.Context, args []string) error
}

// env is what every command gets from main: its output streams, the
// environment, and the staff's language, so tests can call run with
// buffers.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	// lang is the language of the messages printed; "" is English.
	lang msg.Lang
}

// say prints m in the staff's language to w, with a newline.
func (e env) say(w io.Writer, m msg.Message, args ...any) {
	fmt.Fprintln(w, m.In(e.lang, args...))
}

// staffLang decides the language of lobby's messages before config.toml is
// parsed, since the messages about config.toml itself need it: LOBBY_LANG
// when set to a language lobby has, else the language line of the
// config.toml in --source (read as text, so that a config with mistakes
// still names it), else Chinese.
func staffLang(args []string, getenv func(string) string) msg.Lang {
	if getenv != nil {
		if l, ok := msg.ParseLang(getenv(msg.EnvVar)); ok {
			return l
		}
	}
	src, err := os.ReadFile(filepath.Join(sourceArg(args), site.ConfigFile))
	if err == nil {
		if l, ok := msg.ParseLang(site.SniffLanguage(src)); ok {
			return l
		}
	}
	return msg.Default
}

// sourceArg finds the --source flag among a command's arguments, before
// its flags are parsed; "." without one.
func sourceArg(args []string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "source" {
			continue
		}
		if hasValue {
			return value
		}
		if i+1 < len(args) {
			return args[i+1]
		}
	}
	return "."
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runEnv(ctx, args, env{stdout: stdout, stderr: stderr, getenv: os.Getenv})
}

func runEnv(ctx context.Context, args []string, e env) error {
	if e.lang == "" {
		e.lang = staffLang(args, e.getenv)
	}
	if len(args) == 0 {
		usage(e.stderr, e.lang)
		return errReported
	}
	name, rest := args[0], args[1:]
	var cmd command
	switch name {
	case "build":
		cmd = &buildCmd{env: e}
	case "check":
		cmd = &checkCmd{env: e}
	case "new":
		cmd = &newCmd{env: e}
	case "init":
		cmd = &initCmd{env: e}
	case "version":
		cmd = &versionCmd{env: e}
	case "serve":
		cmd = &serveCmd{env: e}
	case "feedback":
		cmd = &feedbackCmd{env: e}
	case "survey":
		cmd = &surveyCmd{env: e}
	case "-h", "-help", "--help", "help":
		usage(e.stdout, e.lang)
		return nil
	default:
		e.say(e.stderr, msgUnknownCommand, name)
		usage(e.stderr, e.lang)
		return errReported
	}
	return cmd.Run(ctx, rest)
}

func usage(w io.Writer, lang msg.Lang) {
	fmt.Fprint(w, msgUsage.In(lang))
}

// parseFlags parses args with fs, letting flags stand after positional
// arguments too ("lobby new notice 停水 --source site").
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// newFlagSet makes a FlagSet whose -h prints the command's help text.
func newFlagSet(name, help string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, help)
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	return fs
}

// startProfile writes a CPU profile of the command to file when file is
// not empty (LOBBY_CPUPROFILE=cpu.prof lobby build), for go tool pprof.
func startProfile(file string) (stop func()) {
	if file == "" {
		return func() {}
	}
	f, err := os.Create(file)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lobby: LOBBY_CPUPROFILE:", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
