"""Stage 5, present: what the site and the documents print alike (labels, numbering, links, word counts)."""
