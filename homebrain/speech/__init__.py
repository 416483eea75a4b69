"""Speech recognition: pocketsphinx constrained by the home, and what it needs."""
