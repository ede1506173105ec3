"""Label and award evaluation: applications, evaluators, scores, consensus, certificate."""
