"""What may be said to a borrower: the phrases the policy forbids in call notes and SMS texts."""
