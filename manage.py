#!/usr/bin/env python
"""Django's command-line utility; the same as the `painrehab` console command."""

from painrehab.__main__ import main

if __name__ == "__main__":
    main()
