"""The repository: its files, revision ranges, branches with one commit, pull requests, tree syncs."""
