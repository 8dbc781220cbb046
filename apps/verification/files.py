"""Document files: sniffing by magic bytes, random keys, local or S3 storage, signed URLs."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import filetype
import structlog
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.core.handlers.asgi import ASGIRequest
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)

from apps.core.errors import Invalid

logger = structlog.get_logger(__name__)

# What we accept, judged by content: sniffed MIME type -> file extension of the key.
ACCEPTED_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
}
# Declared types that say nothing (browsers and curl send these for unknown files).
GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
SNIFF_BYTES = 8192  # filetype looks at most at the first 8 KiB
CHUNK_BYTES = 64 * 1024


def file_refused(message: str) -> Invalid:
    return Invalid("The file was refused.", details={"file": [message]})


@dataclass(frozen=True)
class FileRules:
    """What an upload may be: accepted types (sniffed MIME -> key extension) and a size cap.

    Documents use DOCUMENT_RULES; other uploads (bookings' proof-of-delivery photos) pass their
    own, and share the sniffing, measuring, keys and storage below.
    """

    accepted: dict[str, str]
    max_bytes_setting: str  # the setting holding the size cap, read at call time
    description: str  # "PDF, JPEG and PNG files", for the refusal message

    @property
    def max_bytes(self) -> int:
        return int(getattr(settings, self.max_bytes_setting))


DOCUMENT_RULES = FileRules(
    accepted=ACCEPTED_TYPES,
    max_bytes_setting="VERIFICATION_MAX_FILE_BYTES",
    description="PDF, JPEG and PNG files",
)


def sniff_content_type(head: bytes, *, rules: FileRules = DOCUMENT_RULES) -> str | None:
    """The accepted MIME type the first bytes show, or None (unknown or not accepted)."""
    kind = filetype.guess(head)
    if kind is None or kind.mime not in rules.accepted:
        return None
    return kind.mime


def check_content(
    *, head: bytes, size: int, declared_type: str | None, rules: FileRules = DOCUMENT_RULES
) -> str:
    """Validate a file by its size and first bytes; the sniffed type, or Invalid (400)."""
    maximum = rules.max_bytes
    if size <= 0:
        raise file_refused("The file is empty.")
    if size > maximum:
        raise file_refused(f"The file is larger than {maximum} bytes.")
    sniffed = sniff_content_type(head, rules=rules)
    if sniffed is None:
        raise file_refused(f"Only {rules.description} are accepted (judged by content).")
    declared = (declared_type or "").split(";")[0].strip().lower()
    if declared not in GENERIC_TYPES and declared != sniffed:
        raise file_refused(f"The file was declared as {declared} but its content is {sniffed}.")
    return sniffed


def random_key(*, prefix: str, content_type: str, rules: FileRules = DOCUMENT_RULES) -> str:
    """A random storage key under `prefix`: never derived from the user's file name."""
    return f"{prefix}/{uuid.uuid4()}.{rules.accepted[content_type]}"


def document_key(*, company_id: int, content_type: str) -> str:
    """A random storage key: never derived from the user's file name."""
    return random_key(prefix=f"documents/{company_id}", content_type=content_type)


@dataclass(frozen=True)
class Measured:
    size: int
    sha256: str
    content_type: str


def measure_stream(
    chunks: Iterable[bytes], *, declared_type: str | None, rules: FileRules = DOCUMENT_RULES
) -> Measured:
    """Size, SHA-256 and sniffed type of a stream of chunks (read once, whole)."""
    digest = hashlib.sha256()
    head = b""
    size = 0
    maximum = rules.max_bytes
    for chunk in chunks:
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
        if size > maximum:
            break  # no need to read the rest of an oversized file
    content_type = check_content(head=head, size=size, declared_type=declared_type, rules=rules)
    return Measured(size=size, sha256=digest.hexdigest(), content_type=content_type)


def file_chunks(file: IO[bytes]) -> Iterator[bytes]:
    """An uploaded file's bytes from the start, in chunks."""
    file.seek(0)
    while chunk := file.read(CHUNK_BYTES):
        yield chunk


def document_storage() -> Storage:
    return storages["default"]


def storage_is_s3(storage: Storage | None = None) -> bool:
    from storages.backends.s3 import S3Storage

    return isinstance(storage or document_storage(), S3Storage)


def file_save(*, key: str, file: IO[bytes]) -> None:
    """Store the file under exactly `key` (keys are random, so nothing is ever overwritten)."""
    file.seek(0)
    saved = document_storage().save(key, File(file))
    if saved != key:  # the storage renamed it: refuse rather than point at the wrong object
        document_storage().delete(saved)
        raise RuntimeError(f"storage saved {key!r} as {saved!r}")


def file_delete(*, key: str) -> None:
    document_storage().delete(key)


def file_exists(*, key: str) -> bool:
    return document_storage().exists(key)


def file_open(*, key: str) -> IO[bytes]:
    return document_storage().open(key, "rb")


# --- S3 only -----------------------------------------------------------------------------------


def _s3() -> tuple[Any, str]:
    storage = document_storage()
    return storage.connection.meta.client, storage.bucket_name  # type: ignore[attr-defined]  # an S3Storage here


def s3_presigned_post(*, key: str, content_type: str, size: int) -> dict[str, Any]:
    """A pre-signed POST for exactly this key, Content-Type and size (S3 enforces the policy)."""
    client, bucket = _s3()
    return client.generate_presigned_post(
        Bucket=bucket,
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", size, size]],
        ExpiresIn=settings.VERIFICATION_UPLOAD_URL_EXPIRES_SECONDS,
    )


def s3_object_size(*, key: str) -> int | None:
    """The object's size, or None when it does not exist."""
    from botocore.exceptions import ClientError

    client, bucket = _s3()
    try:
        return int(client.head_object(Bucket=bucket, Key=key)["ContentLength"])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
            return None
        raise


def s3_object_chunks(*, key: str) -> Iterator[bytes]:
    """The object's bytes, streamed."""
    client, bucket = _s3()
    body = client.get_object(Bucket=bucket, Key=key)["Body"]
    try:
        yield from body.iter_chunks(CHUNK_BYTES)
    finally:
        body.close()


def s3_object_head(*, key: str) -> bytes:
    """The object's first bytes (a ranged GET), enough to sniff its type."""
    client, bucket = _s3()
    body = client.get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{SNIFF_BYTES - 1}")["Body"]
    try:
        return body.read()
    finally:
        body.close()


def s3_signed_download_url(*, key: str, content_type: str, filename: str) -> str:
    """A short-lived signed GET URL (settings.VERIFICATION_FILE_URL_EXPIRES_SECONDS)."""
    client, bucket = _s3()
    return client.generate_presigned_url(
        "get_object",
        Params={
            "Bucket": bucket,
            "Key": key,
            "ResponseContentType": content_type,
            "ResponseContentDisposition": content_disposition(filename),
        },
        ExpiresIn=settings.VERIFICATION_FILE_URL_EXPIRES_SECONDS,
    )


def content_disposition(filename: str) -> str:
    """`inline` with a safe ASCII name (the original name is informative only)."""
    safe = "".join(c if (c.isascii() and c.isalnum()) or c in "._-" else "_" for c in filename)
    safe = safe[:100] or "document"
    return f'inline; filename="{safe}"'


def served_over_asgi(request: HttpRequest | Any) -> bool:
    """Whether this request came through the ASGI handler (a DRF Request wraps the Django one)."""
    return isinstance(getattr(request, "_request", request), ASGIRequest)


async def _file_chunks_async(file: IO[bytes]) -> AsyncIterator[bytes]:
    """The file's bytes as an asynchronous iterator: each read runs in the sync thread."""
    try:
        while chunk := await sync_to_async(file.read)(CHUNK_BYTES):
            yield chunk
    finally:
        await sync_to_async(file.close)()


def document_file_response(document: Any, *, asynchronous: bool) -> HttpResponseBase:
    """Stream the document's file (local storage) or redirect to a signed URL (S3)."""
    return stored_file_response(
        key=document.file_key,
        content_type=document.file_content_type,
        filename=document.file_original_name,
        asynchronous=asynchronous,
    )


def stored_file_response(
    *, key: str, content_type: str, filename: str, asynchronous: bool
) -> HttpResponseBase:
    """Stream a stored file (local storage) or redirect to a signed URL (S3).

    Under ASGI (`asynchronous`) the body is an asynchronous iterator, as Django requires for
    StreamingHttpResponse there (a synchronous one would be read whole into memory, with a
    warning); under WSGI it is a FileResponse (sendfile-capable file wrapper).
    """
    if storage_is_s3():
        return HttpResponseRedirect(
            s3_signed_download_url(key=key, content_type=content_type, filename=filename)
        )
    try:
        file = file_open(key=key)  # opened here: a missing file fails before headers
    except FileNotFoundError as exc:
        # The row outlived its file (a lost volume, a restore without media): the client can do
        # nothing about it, but it is not a server crash either; the operator must know.
        logger.error("stored_file.missing", key=key)
        raise Http404("The file is no longer stored.") from exc
    response: StreamingHttpResponse
    if asynchronous:
        response = StreamingHttpResponse(_file_chunks_async(file), content_type=content_type)
        response["Content-Length"] = str(document_storage().size(key))
    else:
        response = FileResponse(file, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    return response
