"""Build, load, check and evaluate: run from make, never imported by the servers."""
