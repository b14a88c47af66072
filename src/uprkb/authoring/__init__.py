"""Stage 12, authoring: help for editors (new submissions and sections, matching suggestions)."""
