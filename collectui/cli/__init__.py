"""The command-line face (Typer). Calls domain services; holds no business rules."""
