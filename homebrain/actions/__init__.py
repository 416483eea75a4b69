"""actions stage."""
