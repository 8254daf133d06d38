"""Reading the library: files and their front matter into records, and the project's configuration."""
