"""Off-device training: corpus, model, export (needs the `train` extra for torch)."""
