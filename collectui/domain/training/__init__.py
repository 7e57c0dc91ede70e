"""Training: practice calls against simulated borrowers, the quiz, scores and certification (docs/training.md)."""
