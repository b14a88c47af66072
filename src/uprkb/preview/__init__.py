"""Stage 13, preview: the live preview that rebuilds on every save."""
