"""End-to-end tests: the web explorer in headless Chromium."""
