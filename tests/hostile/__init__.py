"""Hostile inputs: each attack on the importers, the loader and the link checker ends in a located error."""
