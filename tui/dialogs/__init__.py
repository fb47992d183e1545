"""The TUI's modal dialogs."""
