"""What a release's changelog lists and how it is written: contributors, pull requests, counts."""
