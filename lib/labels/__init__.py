"""Record labels: messy raw label strings merged into one label each, and the user's edits."""
