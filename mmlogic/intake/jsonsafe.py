"""JSON from untrusted bytes, with every limit checked before ``json.loads`` builds anything.

Order (issue #13): size → encoding → nesting depth (a scan over the brackets outside strings) →
number lengths (a scan, then again in the parse hooks) → parse with duplicate keys refused.
A 985-deep array or a 4,000-digit number is a ``CaseInvalid`` naming the limit, never a
``RecursionError`` or an ``OverflowError``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import CaseInvalid, CaseProblem
from ..limits import MAX_INPUT_BYTES, MAX_INPUT_MB, MAX_JSON_DEPTH, MAX_NUMBER_CHARS
from .problems import problem, refuse

__all__ = ["check_size", "decode_text", "loads", "refuse_size"]

# A JSON string (unrolled loop: no catastrophic backtracking), a bracket, a run of number characters.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")
_LONG_NUMBER = re.compile(r"[-+0-9.eE]{%d,}" % (MAX_NUMBER_CHARS + 1))


class _Refused(ValueError):
    def __init__(self, found: CaseProblem):
        self.problem = found
        super().__init__(found.message)


def check_size(data: bytes | str, source: str) -> None:
    """One size limit for every file that enters (``MAX_INPUT_BYTES``)."""
    size = len(data.encode("utf-8")) if isinstance(data, str) and len(data) * 4 > MAX_INPUT_BYTES else len(data)
    if size > MAX_INPUT_BYTES:
        refuse_size(size, source)


def refuse_size(size: int, source: str) -> None:
    """The one "too large" problem (a file of ``size`` bytes)."""
    if size > MAX_INPUT_BYTES:
        refuse(source, f"expected a file of at most {MAX_INPUT_MB} MB (this file is too large: {size:,} bytes)",
               f"文件不得超过 {MAX_INPUT_MB} MB(此文件 {size:,} 字节,过大)", has_got=False)


def decode_text(data: bytes | str, source: str) -> str:
    """Bytes as text: UTF-8 (with or without a BOM); any other encoding is a clear problem."""
    if isinstance(data, str):
        return data
    check_size(data, source)
    try:
        return bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        refuse(source,
               f"expected UTF-8 text: the file is not UTF-8 (byte {error.start} cannot be read; it may be "
               "GBK, GB18030 or Latin-1) — save it as UTF-8 and try again",
               f"应为 UTF-8 编码的文本:此文件不是 UTF-8(第 {error.start} 字节无法读取,可能是 GBK、GB18030 或 "
               "Latin-1 编码),请另存为 UTF-8 后重试", has_got=False)


def _depth_position(text: str) -> int | None:
    """Position of the first bracket nested deeper than ``MAX_JSON_DEPTH`` (strings ignored)."""
    depth = 0
    stripped = _STRING.sub('""', text)
    for match in _BRACKET.finditer(stripped):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return match.start()
        else:
            depth -= 1
    return None


def _too_long(text: str, source: str) -> CaseProblem:
    return problem(source, f"expected numbers of at most {MAX_NUMBER_CHARS} characters (a number with "
                           f"{len(text):,} characters is too large to be a value)",
                   f"数字最多 {MAX_NUMBER_CHARS} 个字符(一个 {len(text):,} 个字符的数字过大,不是有效数值)",
                   text[:20] + ("…" if len(text) > 20 else ""))


def loads(data: bytes | str, source: str) -> Any:
    """Parse untrusted JSON, checking size, encoding, depth and numbers first.

    NaN and Infinity literals are read as floats so that validation names the field holding them.
    """
    text = decode_text(data, source)
    check_size(text, source)
    if not text.strip():
        refuse(source, "expected JSON content: the file is empty", "应为 JSON 内容:文件为空", has_got=False)
    if _depth_position(text) is not None:
        refuse(source, f"expected JSON nested at most {MAX_JSON_DEPTH} levels deep (this file is nested too deeply)",
               f"JSON 嵌套最多 {MAX_JSON_DEPTH} 层(此文件嵌套过深)", has_got=False)
    long_number = _LONG_NUMBER.search(_STRING.sub('""', text))
    if long_number:
        raise CaseInvalid([_too_long(long_number.group(), source)])

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise _Refused(problem(source, f"expected each field once: the field {key!r} appears twice in one object",
                                       f"每个字段只能出现一次:字段 {key!r} 在同一对象中出现了两次", has_got=False))
            out[key] = value
        return out

    def number(kind: type) -> Any:
        def convert(token: str) -> Any:
            if len(token) > MAX_NUMBER_CHARS:
                raise _Refused(_too_long(token, source))
            value = kind(token)
            if value in (float("inf"), float("-inf")):
                raise _Refused(problem(source, f"expected a finite number: the number {token} is too large",
                                       f"应为有限数字:数字 {token} 过大", has_got=False))
            return value
        return convert

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_int=number(int), parse_float=number(float))
    except _Refused as refused:
        raise CaseInvalid([refused.problem]) from None
    except json.JSONDecodeError as error:
        refuse(source, f"expected valid JSON: the file is not valid JSON ({error.msg} at line {error.lineno}, "
                       f"column {error.colno})",
               f"应为有效的 JSON:文件不是有效的 JSON(第 {error.lineno} 行第 {error.colno} 列:{error.msg})",
               has_got=False)
    except (ValueError, RecursionError) as error:  # a last wall: never a traceback
        refuse(source, f"expected valid JSON: {type(error).__name__}", f"应为有效的 JSON:{type(error).__name__}",
               has_got=False)
