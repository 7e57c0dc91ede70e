"""Cases that end: disputes resolved, hardship turned into payment plans, borrowers assigned to collectors."""
