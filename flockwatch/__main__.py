from flockwatch.cli import run

run()
