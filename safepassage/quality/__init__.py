"""Quality: QA sampling, reviews, rubric, consistency analytics."""
