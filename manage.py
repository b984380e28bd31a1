#!/usr/bin/env python
"""Same as the `sigap` command."""
from sigap.cli import main

if __name__ == "__main__":
    main()
