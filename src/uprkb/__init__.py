"""uprkb: the UPR submission knowledge base.

Pipeline stages, one module each: ``loader`` (safe YAML), ``models`` (typed
records), ``dataset`` (files → models), ``validate`` (cross-references),
``index`` (the cross-linked knowledge base), ``views`` and ``generate``
(Jinja → Markdown), ``build`` (MkDocs, atomic swap), ``safety``,
``internal_links`` and ``linkcheck`` (checks), ``textexport``, ``schema``, ``cli``.
"""

__version__ = "0.1.0"
