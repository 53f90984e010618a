"""The participant portal: entries, evidence, submission, results and certificates."""
