"""Stage 6, check: the rules no single file can check, and the editorial warnings."""
