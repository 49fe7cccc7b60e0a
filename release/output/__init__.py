"""What people see of a run: commands spelled the way the user runs the toolkit, tables that fit
their terminal, and secrets masked in everything printed, journaled or reported."""
