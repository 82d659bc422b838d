"""Identity matching: finding the records that belong to the same person."""
