"""Stage 8, site: the generated Markdown pages (builders, typed contexts, templates, charts)."""
