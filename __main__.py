"""`python3 -m policygraph …` runs the CLI (works even where the console script is not on PATH)."""
from policygraph.cli import app

app(prog_name="policygraph")
