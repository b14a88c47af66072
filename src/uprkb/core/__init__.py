"""Stage 1, core: what every stage shares (errors, markup, hints, names, the project value, caches).

Imports nothing of the package.
"""
