"""Stage 3, load: data files read safely with the line and column of every value, then validated file by file."""
