// Package e2e holds lobby's browser tests. They build the lobby
// binary once, serve a copy of the demo site (config.toml and content/)
// with `lobby serve` on 127.0.0.1, and drive a headless Chromium through
// what residents, staff and authors do: the home page on a phone, search
// with and without JavaScript, feedback and its status, calendars and
// posters, the text-size switch, the staff pages, live reload and the lobby
// display; and they check every kind of page against WCAG 2.1 AA with
// axe-core.
//
// The tests skip when there is no Chromium, unless LOBBY_BROWSER_TESTS=1
// (CI sets it), when they fail instead. LOBBY_CHROMIUM names the browser
// (default /usr/bin/chromium, else chromium on PATH). The accessibility
// checks read node_modules/axe-core/axe.min.js, which `npm ci` at the
// repository's root installs, or the file LOBBY_AXE names.
//
// The package has no code outside its tests.
package e2e
