"""Server-rendered pages: the advisors' console and the coordinators' pages."""
