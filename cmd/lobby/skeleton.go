package main

import "embed"

// skeleton is the site that lobby init writes.
//
//go:embed all:skeleton
var skeleton embed.FS
