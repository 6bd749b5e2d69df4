"""The TOML file format of meetings and bodies (docs/format.md).

Submodules, lightest first: `names` (file names), `reading` (bytes to TOML, refusing what is not
a meeting file), `fields` (typed values), `header` (a meeting's header without the rest),
`decode` and `encode` (model from and to canonical TOML), `locate` (lines of key paths), and
`files`, which puts them together: load, parse and dump with validation.
"""
