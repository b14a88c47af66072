"""Stage 4, index: the validated data resolved into one cross-linked knowledge base."""
