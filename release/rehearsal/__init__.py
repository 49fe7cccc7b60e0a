"""The rehearsal: stages run against stand-ins, resumed after a kill, reported, and compared."""
