from service.cli import main

# Guarded: the parse pool's worker processes import the main module again when they start
# (multiprocessing's forkserver prepares each child so), and must not run the CLI.
if __name__ == "__main__":
    raise SystemExit(main())
