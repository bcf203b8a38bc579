package site_test

import (
	"testing"

	"github.com/lobby-community/lobby/site"
	"github.com/lobby-community/lobby/site/sitetest"
)

func TestConfigServerKeys(t *testing.T) {
	cfg, err := site.ParseConfig([]byte("title = \"x\"\nbaseURL = \"https://example.org/\"\n[server]\nmax_connections = 2000\nmax_connections_per_client = 100\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Server.MaxConnections != 2000 || cfg.Server.MaxConnectionsPerClient != 100 {
		t.Errorf("server = %+v, want 2000 and 100", cfg.Server)
	}
}

func TestConfigBadServerKeysAtTheirLine(t *testing.T) {
	got := sitetest.BuildE(t, `-- config.toml --
title = "x"
baseURL = "https://example.org/"
[server]
max_connections = -1
max_connections_per_client = -5
max_connection = 3
`)
	assertErrors(t, got,
		`config.toml:4:1: server.max_connections must be a positive number`,
		`config.toml:5:1: server.max_connections_per_client must be a positive number`,
		`config.toml:6:1: unknown key "server.max_connection"`)

	got = sitetest.BuildE(t, `-- config.toml --
title = "x"
baseURL = "https://example.org/"
[server]
max_connections = 10
max_connections_per_client = 20
`)
	assertErrors(t, got, `config.toml:5:1: server.max_connections_per_client (20) is more than server.max_connections (10)`)
}
