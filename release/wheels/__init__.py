"""The files a release publishes: the wheel matrix, file sets, workflow runs and GitHub release assets."""
