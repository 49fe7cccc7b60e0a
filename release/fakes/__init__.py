"""Local stand-ins used by the tests and by the rehearsal alike."""
