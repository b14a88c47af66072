"""Stage 2, model: the typed records of the data files, the grammar of references and IDs, and their JSON Schemas."""
