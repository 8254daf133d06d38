"""GitHub's Markdown library, cmark-gfm, as the cmarkgfm package ships it, called so that memory is freed.

cmarkgfm's own helpers never free the parsed document nor the HTML they return (about 80 KB per SOP, a
quarter of a gigabyte over a large library), so the few C functions needed are called here, through ctypes,
in the very library that cmarkgfm builds: the same parser, version and extensions as its helpers use.
"""

from __future__ import annotations

import ctypes

from cmarkgfm import _cmark
from cmarkgfm.cmark import Options

SOURCEPOS = Options.CMARK_OPT_SOURCEPOS
UNSAFE = Options.CMARK_OPT_UNSAFE  # keep raw HTML: lint must see it to refuse what is not allowed

_lib = ctypes.CDLL(_cmark.__file__)
_P = ctypes.c_void_p


def _declare(name: str, restype: type | None, *argtypes: type) -> None:
    function = getattr(_lib, name)
    function.restype, function.argtypes = restype, list(argtypes)


_declare("cmark_gfm_core_extensions_ensure_registered", None)
_declare("cmark_find_syntax_extension", _P, ctypes.c_char_p)
_declare("cmark_parser_new", _P, ctypes.c_int)
_declare("cmark_parser_attach_syntax_extension", ctypes.c_int, _P, _P)
_declare("cmark_parser_feed", None, _P, ctypes.c_char_p, ctypes.c_size_t)
_declare("cmark_parser_finish", _P, _P)
_declare("cmark_parser_get_syntax_extensions", _P, _P)
_declare("cmark_parser_free", None, _P)
_declare("cmark_render_html", _P, _P, ctypes.c_int, _P)
_declare("cmark_node_free", None, _P)


class _Memory(ctypes.Structure):
    _fields_ = [("calloc", _P), ("realloc", _P), ("free", ctypes.CFUNCTYPE(None, _P))]


_declare("cmark_get_default_mem_allocator", ctypes.POINTER(_Memory))
_free = _lib.cmark_get_default_mem_allocator().contents.free

_lib.cmark_gfm_core_extensions_ensure_registered()


def _extension(name: str) -> int:
    found = _lib.cmark_find_syntax_extension(name.encode())
    if not found:
        raise RuntimeError(f"cmark-gfm has no extension {name}")
    return int(found)


def to_html(text: str, options: int, extensions: tuple[str, ...]) -> str:
    """The HTML of `text`, as cmark-gfm renders it with `options` and the named GitHub extensions."""
    data = text.encode("utf-8", "surrogatepass")
    parser = _lib.cmark_parser_new(options)
    try:
        for name in extensions:
            _lib.cmark_parser_attach_syntax_extension(parser, _extension(name))
        _lib.cmark_parser_feed(parser, data, len(data))
        root = _lib.cmark_parser_finish(parser)
        try:
            rendered = _lib.cmark_render_html(root, options, _lib.cmark_parser_get_syntax_extensions(parser))
            try:
                return ctypes.string_at(rendered).decode("utf-8", "replace")
            finally:
                _free(rendered)
        finally:
            _lib.cmark_node_free(root)
    finally:
        _lib.cmark_parser_free(parser)
