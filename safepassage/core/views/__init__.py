"""Staff pages of the core app. Views parse input, call one service or selector, and render."""
