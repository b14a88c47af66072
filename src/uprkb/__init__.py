"""uprkb: the UPR submission knowledge base.

Pipeline stages, one module each, in the order the README tells them:
``loader`` (safe YAML), ``models`` (typed records), ``dataset`` (files → models),
``validate`` (cross-references), ``index`` (the cross-linked knowledge base),
``pages`` (one builder per page family, typed ``contexts``), ``generate``
(downloads, charts, Jinja → Markdown), ``build`` (MkDocs, atomic swap). Beside
them: checks (``safety``, ``internal_links``, ``linkcheck``), exports
(``textexport``, ``downloads``, ``docxexport``, ``pdfexport``), imports
(``importers``, ``docximport``), ``schema``, ``serve`` and the ``cli``.
"""

__version__ = "0.1.0"
