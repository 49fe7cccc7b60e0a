"""Who contributed, as git and GitHub know them, and the `.mailmap` lines that name them right."""
