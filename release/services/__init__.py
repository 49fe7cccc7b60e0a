"""The only code that talks to the outside world: git, GitHub, package indexes, mail."""
