"""UPR submission knowledge base: validated YAML data published as a cross-linked static site.

The packages are the stages of the pipeline, in the order data flows through them;
a package imports only from the packages above it in this list (``tests/test_architecture.py``
checks it, function-level imports included):

1. ``core``: what every stage shares: located problems and user errors, the inline markup
   grammar and its escaping, "did you mean", name keys, the :class:`~uprkb.core.project.Project`
   value, the cache folder and its keys.
2. ``model``: the typed records (pydantic), the grammar of references and IDs, the JSON Schemas.
3. ``load``: YAML files read safely with their locations, validated file by file into a dataset.
4. ``index``: the dataset resolved into one cross-linked knowledge base (submissions, reviews, follow-up).
5. ``present``: what the site and the documents print alike: labels, numbering, links and page paths, word counts.
6. ``check``: the rules no single file can check (cross-references, reviews, follow-up, editorial warnings).
7. ``exports``: the knowledge base as text, JSON, CSV, Word and PDF.
8. ``site``: the generated pages: page builders, their typed contexts, templates, charts, rendering.
9. ``linkcheck``: external source URLs and the built site's internal links.
10. ``build``: the whole build: check, generate, MkDocs, the active-content scan, the atomic swap.
11. ``importers``: other people's formats (UPR Info, OHCHR reports, addenda, matrices, UHRI, Word) into YAML.
12. ``authoring``: help for editors: new submissions and sections, matching suggestions.
13. ``preview``: the live preview server.
14. ``cli``: the command line, a thin layer that makes the project value and calls the stages.
"""

__version__ = "0.1.0"
