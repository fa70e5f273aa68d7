"""Multipart bodies written byte by byte: the test client would clean the file names we want to send."""

BOUNDARY = "odpe-test-boundary"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def multipart(fields: dict[str, bytes], files: list[tuple[bytes, bytes]] = ()) -> bytes:
    """`fields` name → raw value; `files` as (raw filename parameter, content) for the field « file »,
    e.g. (b'filename="../../x.xlsx"', content) or (b"filename*=UTF-8''a%0Ab.xlsx", content)."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"
        for name, value in fields.items()
    ]
    parts += [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '.encode()
        + parameter
        + b"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        + content
        + b"\r\n"
        for parameter, content in files
    ]
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()
