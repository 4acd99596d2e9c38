"""What the pages show, as plain data: entity pages, the library overview, display tables, charts."""
