"""Student-facing text in English and Japanese: messages as data (`_`, `Msg`), catalogues, rendering."""

from grader.i18n.messages import Msg, Text, _, from_data, lines, to_data
from grader.i18n.render import render

__all__ = ["Msg", "Text", "_", "from_data", "lines", "render", "to_data"]
