"""Sample submissions built from the instructor solution: full, untouched, mistaken, alternative."""
