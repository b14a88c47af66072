"""Stage 7, exports: the knowledge base as text, JSON, CSV, Word and PDF documents."""
