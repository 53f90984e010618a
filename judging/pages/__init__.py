"""Page helpers more than one area uses: shared flows and loaders, no routes of their own."""
