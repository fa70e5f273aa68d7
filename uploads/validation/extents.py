"""What python-calamine will allocate for a sheet, read from the sheet's XML before calamine sees it.

python-calamine builds a dense grid from every cell's own position: one cell at A1 and one at
XFD1048576 ask for seventeen billion slots. It takes a cell's position from its `r` attribute, or,
without one, from the cell before it in the row, the row's own `r` or the rows before it; element
names are compared without their namespace prefix; attributes may use either quote and any
whitespace. This scanner follows the same rules on the raw bytes, chunk by chunk, and errs on the
high side wherever it cannot be exact: a row number only ever moves forward, an empty `<row/>`
counts as a row, a row's `r` counts even without cells. `<dimension>` is never read.

It also estimates the memory the reader will hold: the grid (rows × columns from the first row and
column, 32 bytes a slot), every cell it keeps on the way, and every string it copies — each cell
holding a shared string gets its own copy of it, so one long string referenced a million times is a
gigabyte. `SharedStrings` measures each shared string first.

Tags the grammar below does not recognise make the part unreadable (ValueError), as do comments,
CDATA sections or processing instructions left open at the end of the part.
"""

from __future__ import annotations

import re
from array import array
from itertools import repeat

SLOT_BYTES = 32  # one value of calamine's grid
CELL_BYTES = 40  # a cell kept before the grid is built
TEXT_COPIES = 2  # text is held by the reader, and again as Python strings for the rows being checked
SHARED_STRING_BYTES = 80  # a shared string's own overhead in the reader's table (string, block, growth)
STRING_BYTES = 32  # a copied string's own overhead
MAX_TAG = 1 << 20  # no honest tag is a megabyte long
SLOW_BYTES = 8 << 20  # sheet XML read tag by tag (unusual spellings) before the sheet is refused
KEEP = 64  # bytes kept from one chunk to the next so that no tag is cut
ENDS = (b" ", b">", b"/", b"\t", b"\n", b"\r")

_NAME_PREFIX = rb"(?:[^\s<>/=!?\"']*:)?"
_ATTRIBUTES = rb"(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*"
_TAG = re.compile(rb"<(/?)" + _NAME_PREFIX + rb"(row|c)(?=[\s/>])(" + _ATTRIBUTES + rb")\s*(/?)>")
_CELL_START = re.compile(rb"<" + _NAME_PREFIX + rb"c(?=[\s/>])")
_ROW_START = re.compile(rb"<" + _NAME_PREFIX + rb"row(?=[\s/>])")
_ROW_END = re.compile(rb"</" + _NAME_PREFIX + rb"row\s*>")
_EMPTY_ROW = re.compile(rb"<" + _NAME_PREFIX + rb"row(?=[\s/>])" + _ATTRIBUTES + rb"\s*/>")
_R_VALUE = rb"\s+r\s*=\s*(?:\"([^\"]*)\"|'([^']*)')"
_FIRST_R = _ATTRIBUTES.replace(rb"(?:\s+[^", rb"(?:\s+(?!r\s*=)[^", 1)
_CELL_REF = re.compile(rb"<" + _NAME_PREFIX + rb"c(?=[\s/>])" + _FIRST_R + _R_VALUE)
_ROW_REF = re.compile(rb"<" + _NAME_PREFIX + rb"row(?=[\s/>])" + _FIRST_R + _R_VALUE)
_R_ATTRIBUTE = re.compile(rb"^" + _FIRST_R + _R_VALUE)
_VALUE_START = re.compile(rb"<" + _NAME_PREFIX + rb"v(?=[\s/>])")
_PLAIN_INDEX = re.compile(rb"<v>([0-9]{1,10})</v>")
_ANY_TAG = re.compile(rb"<[^>]*>")
_STRING_ITEM = re.compile(rb"<" + _NAME_PREFIX + rb"si(?=[\s/>])")
_PLAIN_STRING_ITEM = re.compile(rb"<si>")
_DIGITS = b"0123456789"
_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ALPHANUMERIC = _DIGITS + _LETTERS + b" "
_LETTERS_TO_SPACE = bytes.maketrans(_LETTERS, b" " * len(_LETTERS))
_REF = re.compile(rb"([A-Za-z]+)([0-9]+)")
_PREFIXED = re.compile(rb":(?:c|row|v)[\s/>]")
# Every `<c` (`<row`) tag with its reference, b"" for one spelled otherwise (`<col`, `<c  r=`, `<c>`):
# one pass both finds the references and tells whether the spelling is the plain one.
_PLAIN_CELL_REF = re.compile(rb'<c(?: r="([^"]*)")?')
_PLAIN_ROW_REF = re.compile(rb'<row(?: r="([^"]*)")?')
_OPENERS = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"))


class Unreadable(ValueError):
    """The part is not XML this scanner can vouch for."""


class Unusual(Exception):
    """More sheet XML in unusual spellings than the scanner reads tag by tag in its time."""


class SharedStrings:
    """The byte length of each shared string (an upper bound of its text: escapes only shrink)."""

    def __init__(self) -> None:
        self.lengths = array("Q")
        self.total = 0
        self._open = -1  # offset of the current <si> within the bytes fed so far
        self._fed = 0
        self._tail = b""

    def feed(self, data: bytes) -> None:
        window = self._tail + data
        offset = self._fed - len(self._tail)
        plain = b":si" not in window and window.count(b"<si") == window.count(b"<si>")
        pattern = _PLAIN_STRING_ITEM if plain else _STRING_ITEM
        for match in pattern.finditer(window):
            start = offset + match.start()
            if start <= self._open:
                continue  # seen in the previous window
            if self._open >= 0:
                self.lengths.append(start - self._open)
            self._open = start
        self._fed += len(data)
        self.total += len(data)
        self._tail = window[-KEEP:]

    def finish(self) -> None:
        if self._open >= 0:
            self.lengths.append(self._fed - self._open)
            self._open = -1

    def merge(self, other: SharedStrings) -> None:
        """Several candidate parts: keep the longest string at each index."""
        for index, length in enumerate(other.lengths):
            if index < len(self.lengths):
                self.lengths[index] = max(self.lengths[index], length)
            else:
                self.lengths.append(length)
        self.total = max(self.total, other.total)

    @property
    def memory(self) -> int:
        return self.total + SHARED_STRING_BYTES * len(self.lengths)


class SheetExtents:
    """Rows, columns, cells and memory of a sheet as python-calamine would read it, fed chunk by chunk.

    Positions are 1-based here: `rows` is the last row any cell (or row tag) reaches, `columns` the
    last column.
    """

    def __init__(self, strings: SharedStrings | None = None) -> None:
        self.strings = strings or SharedStrings()
        self._longest = (max(self.strings.lengths) if self.strings.lengths else 0) + STRING_BYTES
        self.rows = 0
        self.columns = 0
        self.cells = 0
        self.text_bytes = 0
        self.string_bytes = 0
        self._row = 0  # calamine's current row, 0-based, never below the real one
        self._column = 0  # calamine's next column, 0-based, never below the real one
        self._carry = b""
        self._closing: bytes | None = None  # terminator of an open comment, CDATA or instruction
        self._in_cdata = False
        self._slow_bytes = 0

    @property
    def area(self) -> int:
        return self.rows * self.columns

    @property
    def memory(self) -> int:
        """Bytes the reader will hold at its peak, an upper estimate."""
        return (
            self.area * SLOT_BYTES
            + self.cells * CELL_BYTES
            + self.text_bytes * TEXT_COPIES
            + self.string_bytes
            + self.strings.memory
        )

    def feed(self, data: bytes) -> None:
        buffer = self._carry + data
        self._carry = b""
        position = 0
        while True:
            if self._closing is not None:
                end = buffer.find(self._closing, position)
                if end == -1:
                    keep = len(self._closing) - 1
                    if self._in_cdata:
                        self.text_bytes += max(0, len(buffer) - position - keep)
                    self._carry = buffer[max(position, len(buffer) - keep) :]
                    return
                if self._in_cdata:
                    self.text_bytes += end - position
                position = end + len(self._closing)
                self._closing = None
                self._in_cdata = False
            cut = _complete_up_to(buffer)
            if cut < position:
                cut = position
            special = _special(buffer, position, cut)
            stop = cut if special is None else special
            self._segment(buffer[position:stop])
            if special is None:
                if buffer.startswith(tuple(opener for opener, _closing in _OPENERS), cut):
                    self._open_special(buffer, cut)
                    position = cut + len(self._opener(buffer, cut))
                    continue
                self._carry = buffer[cut:]
                if len(self._carry) > MAX_TAG:
                    raise Unreadable("tag too long")
                return
            self._open_special(buffer, stop)
            position = stop + len(self._opener(buffer, stop))

    def finish(self) -> None:
        if self._closing is not None or self._carry.strip():
            raise Unreadable("part ends inside markup")

    def _opener(self, buffer: bytes, start: int) -> bytes:
        for opener, _closing in _OPENERS:
            if buffer.startswith(opener, start):
                return opener
        raise Unreadable("declaration")  # <!DOCTYPE, <!ENTITY, <!ELEMENT…: refused upstream too

    def _open_special(self, buffer: bytes, start: int) -> None:
        opener = self._opener(buffer, start)
        self._closing = dict(_OPENERS)[opener]
        self._in_cdata = opener == b"<![CDATA["

    def _segment(self, segment: bytes) -> None:
        """Markup without comments, CDATA or instructions, cut on tag boundaries."""
        if not segment or self._plain(segment):
            return
        self._slow_bytes += len(segment)
        if self._slow_bytes > SLOW_BYTES:
            raise Unusual
        self.text_bytes += len(_ANY_TAG.sub(b"", segment))
        cell_starts = len(_CELL_START.findall(segment))
        row_starts = len(_ROW_START.findall(segment))
        tags = _TAG.findall(segment)
        if sum(1 for slash, _name, _attributes, _empty in tags if not slash) != cell_starts + row_starts:
            raise Unreadable("row or cell tag outside the grammar")
        self._count_strings(segment, len(_VALUE_START.findall(segment)))
        cell_refs = [double + single for double, single in _CELL_REF.findall(segment)]
        if len(cell_refs) == cell_starts:
            row_refs = [double + single for double, single in _ROW_REF.findall(segment)]
            closed = len(_ROW_END.findall(segment)) + len(_EMPTY_ROW.findall(segment))
            self._explicit(cell_refs, row_refs, closed)
        else:
            self._walk(tags)

    def _plain(self, segment: bytes) -> bool:
        """The spelling every spreadsheet writes (`<row r="…">`, `<c r="…"`), read at C speed."""
        cell_refs = _PLAIN_CELL_REF.findall(segment)
        row_refs = _PLAIN_ROW_REF.findall(segment)
        if b"" in cell_refs or b"" in row_refs or _PREFIXED.search(segment):
            return False
        count = segment.count
        closings = count(b"</row")
        self._explicit(cell_refs, row_refs, closings + len(row_refs))
        if self.strings.lengths:
            self._count_strings(segment, count(b"<v"))
        markup = (
            3 * count(b"<v>")
            + 4 * count(b"</v>")
            + 4 * count(b"</c>")
            + 6 * closings
            + 8 * len(cell_refs)
            + sum(map(len, cell_refs))
            + 10 * len(row_refs)
            + sum(map(len, row_refs))
        )
        self.text_bytes += max(0, len(segment) - markup)
        return True

    def _explicit(self, cell_refs: list[bytes], row_refs: list[bytes], closed: int) -> None:
        """Every cell carries its reference: extents at C speed, counters moved on the high side.

        A reference's letters and digits are read apart (`A1B2` counts as column AB, row 12): never
        less than the reader, and no cell converted one by one.
        """
        self.cells += len(cell_refs)
        last_row = self._row
        if row_refs:
            highest = _highest_number(b" ".join(row_refs))
            self.rows = max(self.rows, highest)
            last_row = max(last_row, highest - 1)
        if cell_refs:
            joined = b" ".join(cell_refs)
            if joined.translate(None, _ALPHANUMERIC):
                raise Unreadable("cell reference")
            self.rows = max(self.rows, _highest_number(joined.translate(None, _LETTERS)))
            widest = max(map(_column_number, set(joined.translate(None, _DIGITS).split())), default=0)
            self.columns = max(self.columns, widest)
            self._column = max(self._column, widest)
        self._row = last_row + closed

    def _walk(self, tags: list[tuple[bytes, bytes, bytes, bytes]]) -> None:
        """Some cells have no reference: follow calamine's counters tag by tag."""
        for slash, name, attributes, empty in tags:
            if slash:
                if name == b"row":
                    self._row += 1
                    self._column = 0
                continue
            found = _R_ATTRIBUTE.match(attributes)
            ref = (found.group(1) or b"") + (found.group(2) or b"") if found else None
            if name == b"row":
                if ref is not None:
                    if not ref.isdigit():
                        raise Unreadable("row number")
                    self._row = max(self._row, int(ref) - 1)
                    self.rows = max(self.rows, int(ref))
                if empty:
                    self._row += 1
                continue
            if ref is not None:
                parts = _REF.fullmatch(ref)
                if parts is None:
                    raise Unreadable("cell reference")
                column = _column_number(parts.group(1)) - 1
                self._column = max(self._column, column)
                row = int(parts.group(2)) - 1
            else:
                row, column = self._row, self._column
            self._column += 1
            self.cells += 1
            self.rows = max(self.rows, row + 1)
            self.columns = max(self.columns, column + 1)

    def _count_strings(self, segment: bytes, values: int) -> None:
        """Each value may copy a shared string: the one it names when plainly written, else the longest."""
        if not values or not self.strings.lengths:
            return
        plain = _PLAIN_INDEX.findall(segment)
        lengths = self.strings.lengths
        try:
            named = sum(map(lengths.__getitem__, map(int, plain)))
        except IndexError:  # a number, not a string index
            named = sum(lengths[index] for index in map(int, plain) if index < len(lengths))
        self.string_bytes += named + len(plain) * STRING_BYTES + (values - len(plain)) * self._longest


def _special(buffer: bytes, start: int, end: int) -> int | None:
    """Where the first comment, CDATA section, declaration or instruction starts, if any."""
    found = []
    for sign in (b"!", b"?"):
        # One byte is searched with memchr, ten times faster than two: most sheets have neither sign.
        at = buffer.find(sign, start, end)
        if at != -1:
            at = buffer.find(b"<" + sign, max(start, at - 1), end)
            if at != -1:
                found.append(at)
    return min(found) if found else None


def _complete_up_to(buffer: bytes) -> int:
    """Where the last complete tag ends: after it may start a tag the next chunk completes."""
    last_open = buffer.rfind(b"<")
    if last_open == -1 or buffer.find(b">", last_open) != -1:
        return len(buffer)
    return last_open


def _highest_number(joined: bytes) -> int:
    """The largest of these numbers (digits, separated by spaces), without converting each of them."""
    if joined.translate(None, _DIGITS + b" "):
        raise Unreadable("row number")
    numbers = joined.split()
    if not numbers:
        return 0
    if b" 0" in b" " + joined:
        return max(map(int, numbers))
    digits = len(max(numbers, key=len))
    highest = max(numbers)  # in text order, right when it has the most digits
    if len(highest) == digits:
        return int(highest)
    return int(max(map(bytes.zfill, numbers, repeat(digits))))


def _column_number(letters: bytes) -> int:
    """1-based column of letters (A = 1), in either case; absurd lengths give absurd numbers."""
    number = 0
    for char in letters.upper():
        number = number * 26 + char - 64
    return number
