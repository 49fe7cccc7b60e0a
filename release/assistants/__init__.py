"""Read-only assistants for the walkthrough's judgement sections (the release repository, backports,
milestones, deprecations, the sanity check, credentials): each draws up the list a release
manager would make by hand, checks it, and names the exact command for each fix."""
