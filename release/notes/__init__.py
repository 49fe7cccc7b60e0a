"""Release notes: towncrier fragments, skeletons, the index of notes, and what announcements take."""
