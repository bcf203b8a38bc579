package main

// extraCommand returns the commands that live in their own files (serve,
// feedback), or nil for an unknown name.
func extraCommand(name string, e env) command {
	switch name {
	}
	return nil
}
