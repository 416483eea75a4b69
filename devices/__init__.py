"""Built-in device profiles (YAML), installed as ``homebrain.builtin_profiles``."""
