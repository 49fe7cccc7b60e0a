"""The documentation site, the website's news page, and the announcement mail."""
