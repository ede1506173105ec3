"""Text in the languages of the platform: the language a text is written in, and the
words search and matching see in it (folded, stemmed in that language)."""
