#!/usr/bin/env python3
from tongxue.__main__ import main

if __name__ == "__main__":
    main()
