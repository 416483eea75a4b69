"""Audio in: sources behind one interface, all delivering 16 kHz mono 16-bit chunks."""
