"""Stage 10, build: the whole build (check, generate, MkDocs, scan) and its atomic swap into place."""
