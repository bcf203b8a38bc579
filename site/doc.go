// Package site turns a site folder (config.toml, content/, layouts/,
// static/) and a theme into the files of a static site.
//
// # The pipeline
//
// A build runs four stages, each in its own files. Builder (builder.go)
// drives them, for a build made once (Build, BuildDir, Load) and for the
// rebuilds of lobby serve --watch alike.
//
//	load        files → one *Page per content file, with the errors of each
//	  │         load.go (content tree, publishing), frontmatter.go and
//	  │         tomlpos.go (front matter, positions), config.go,
//	  │         fees.go and amount.go (fee disclosures), slug.go, source.go
//	  ▼
//	assemble    pages → a linked site: sections, tags, neighbours, bodies
//	  │         build.go (Site, assemble, links between pages), markdown.go
//	  │         and tasklist.go (Markdown bodies), cjkemph/ (CJK emphasis),
//	  │         page.go (Page and its section keys)
//	  ▼
//	render      site → jobs, one per output file, run on all cores
//	  │         render.go (the plan of jobs, pagination, sitemap),
//	  │         templates.go (layouts and their functions), view.go (what a
//	  │         template sees), sections.go (section files: calendar, CSV,
//	  │         print views, posters), feed.go (Atom), api.go and schema/
//	  │         (the JSON content API)
//	  ▼
//	write       files → memory (Site.Files) or an output folder, writing
//	            only the files whose bytes changed
//	            output.go (outputs and the manifest of the folder),
//	            write.go and swap_*.go (swapping in a new folder)
//
// errors.go holds the content errors that every stage reports with their
// file and line; newpage.go makes the Markdown file of lobby new.
//
// # The incremental rebuild
//
// Builder.Rebuild is the path of lobby serve --watch. It keeps what the
// last build read and made, and after a change reads, renders and writes
// as little as gives the same output, byte for byte, as a build from
// scratch. Its parts are in the files named rebuild_*.go:
//
//	Rebuild(changed)
//	  │  a change outside content/ ──► reload it, then assemble everything
//	  ▼
//	reread         read and parse only the changed content files
//	  │            (rebuild_replay.go)
//	  ▼
//	replay         when only page bodies changed: copy the last site, its
//	  │            pages relinked by (*Page).remap and (*SiteView).remap,
//	  │            instead of assembling it again (rebuild_replay.go);
//	  │            otherwise assemble again, reusing the rendered bodies
//	  ▼
//	changedJobs    which output files may differ: all when the site as list
//	  │            pages see it changed (siteSig), else those that read a
//	  │            changed body or a part of the clock that moved
//	  │            (rebuild_sig.go; what each layout reads is found by
//	  │            walking its templates, rebuild_deps.go)
//	  ▼
//	render, write  run only those jobs; the others keep last build's bytes
//
// TestRebuildEqualsFullBuild (rebuild_test.go) checks that a rebuild after
// each kind of change makes the same files as a full build.
//
// # Tests
//
// Whole-site tests build a txtar site in memory with package sitetest;
// testdata/golden holds the demo site's pages as they render.
package site
