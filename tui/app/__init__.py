"""The Textual app: browse, edit and review minutes from the keyboard.

Screens and widgets each live in a module of their own; the look is in `app.tcss`. The app asks
the archive, saving and history layers for everything: it never opens files or runs git itself.
"""
