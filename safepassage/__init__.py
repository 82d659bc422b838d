"""Safe Passage: casework for a safe-passage visa scheme and asylum screening."""
