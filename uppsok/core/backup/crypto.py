"""The backup key and the encrypted archive stream (AES-256-GCM in chunks, the STREAM construction).

An archive file is a header followed by chunks:

    header  = b"UPPSOKBK" | version (1 byte) | chunk size (u32) | salt (32 bytes) | key id (16 bytes)
    chunk i = AES-256-GCM(data key, nonce = 0x000000 | i (u64) | last (1 byte), plaintext, aad = header)

The data key and the key id come from HKDF-SHA256 over the backup key with the archive's random salt,
so every archive has a key of its own and a wrong backup key is told apart from damage before anything
is decrypted. Each chunk's nonce binds its position and whether it is the last one: a changed byte, a
swapped, dropped or repeated chunk and a cut-off end all fail authentication.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import stat
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .errors import BackupError

MAGIC = b"UPPSOKBK"
FORMAT_VERSION = 1
CHUNK_SIZE = 1 << 20
TAG_SIZE = 16
SALT_SIZE = 32
KEY_ID_SIZE = 16
HEADER = struct.Struct(f">8sBI{SALT_SIZE}s{KEY_ID_SIZE}s")
KEY_BYTES = 32
# 32 random bytes hold about 30 distinct values; a key with fewer than this is a pattern, not a key.
MIN_DISTINCT_BYTES = 16
MAX_CHUNK_SIZE = 64 << 20

KEY_ENV = "UPPSOK_BACKUP_KEY"
KEY_FILE_ENV = "UPPSOK_BACKUP_KEY_FILE"


def generate_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii").rstrip("=")


def parse_key(text: str) -> bytes:
    """The key's bytes from its text (base64, base64url or hex); refuses anything short or patterned."""
    text = "".join(text.split())
    raw: bytes | None = None
    if len(text) >= 2 * KEY_BYTES and len(text) % 2 == 0 and all(c in "0123456789abcdefABCDEF" for c in text):
        raw = bytes.fromhex(text)
    else:
        try:
            normalised = text.replace("+", "-").replace("/", "_")
            raw = base64.urlsafe_b64decode(normalised + "=" * (-len(normalised) % 4))
        except (binascii.Error, ValueError):
            raw = None
        if raw is not None and base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=") != normalised.rstrip("="):
            raw = None
    if raw is None:
        raise BackupError(
            "Nyckeln går inte att läsa: den ska vara base64 eller hex, som `uppsok backup --generate-key` "
            "skriver den. / The key cannot be read: it must be base64 or hex, as `uppsok backup "
            "--generate-key` writes it."
        )
    if len(raw) < KEY_BYTES or len(set(raw)) < MIN_DISTINCT_BYTES:
        raise BackupError(
            f"Nyckeln är för svag: den måste vara minst {KEY_BYTES} slumpmässiga byte; skapa en med "
            f"`uppsok backup --generate-key`. / The key is too weak: it must be at least {KEY_BYTES} "
            "random bytes; make one with `uppsok backup --generate-key`."
        )
    return raw


def load_key(key_file: str | os.PathLike[str] | None = None,
             environ: dict[str, str] | os._Environ[str] | None = None) -> tuple[bytes, Path | None]:
    """The backup key and the file it came from: --key-file, else UPPSOK_BACKUP_KEY_FILE, else UPPSOK_BACKUP_KEY."""
    env = os.environ if environ is None else environ
    path_text = str(key_file) if key_file else env.get(KEY_FILE_ENV, "")
    if not key_file and path_text and env.get(KEY_ENV):
        raise BackupError(
            f"Både {KEY_ENV} och {KEY_FILE_ENV} är satta; sätt bara den ena. / "
            f"Both {KEY_ENV} and {KEY_FILE_ENV} are set; set only one."
        )
    if path_text:
        path = Path(path_text)
        try:
            mode = path.stat().st_mode
            text = path.read_text(encoding="ascii")
        except FileNotFoundError:
            raise BackupError(f"Nyckelfilen {path} finns inte. / The key file {path} does not exist.") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise BackupError(f"Nyckelfilen {path} går inte att läsa ({exc.__class__.__name__}). / "
                              f"The key file {path} cannot be read.") from None
        if mode & stat.S_IROTH:
            raise BackupError(
                f"Nyckelfilen {path} kan läsas av alla på maskinen; gör `chmod 600 {path}` (eller 640). / "
                f"The key file {path} is readable by everyone on the machine; run `chmod 600 {path}`."
            )
        return parse_key(text), path
    text = env.get(KEY_ENV, "")
    if not text:
        raise BackupError(
            f"Ingen nyckel: sätt {KEY_FILE_ENV} (en fil) eller {KEY_ENV}, eller ange --key-file. / "
            f"No key: set {KEY_FILE_ENV} (a file) or {KEY_ENV}, or give --key-file."
        )
    return parse_key(text), None


def write_key_file(path: Path) -> None:
    """A new key in a new file readable by its owner only; an existing file is never overwritten."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"{path} finns redan; en nyckel skrivs aldrig över. / "
                          f"{path} exists; a key is never overwritten.") from None
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(generate_key() + "\n")
        f.flush()
        os.fsync(f.fileno())


def _derive(key: bytes, salt: bytes) -> tuple[bytes, bytes]:
    okm = HKDF(algorithm=hashes.SHA256(), length=32 + KEY_ID_SIZE, salt=salt,
               info=b"uppsok backup v1: data key, key id").derive(key)
    return okm[:32], okm[32:]


def _nonce(counter: int, last: bool) -> bytes:
    return b"\0\0\0" + counter.to_bytes(8, "big") + (b"\1" if last else b"\0")


class EncryptingWriter:
    """Encrypts what is written to it into `out` chunk by chunk; close() writes the last chunk."""

    def __init__(self, out: BinaryIO, key: bytes, chunk_size: int | None = None) -> None:
        chunk_size = chunk_size or CHUNK_SIZE
        salt = secrets.token_bytes(SALT_SIZE)
        data_key, key_id = _derive(key, salt)
        self._aead = AESGCM(data_key)
        self._header = HEADER.pack(MAGIC, FORMAT_VERSION, chunk_size, salt, key_id)
        self._out = out
        self._chunk_size = chunk_size
        self._buffer = bytearray()
        self._counter = 0
        out.write(self._header)

    def write(self, data: bytes) -> None:
        self._buffer += data
        # A full chunk waits until more follows: only then is it known not to be the last.
        while len(self._buffer) > self._chunk_size:
            self._emit(bytes(self._buffer[: self._chunk_size]), last=False)
            del self._buffer[: self._chunk_size]

    def close(self) -> None:
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _emit(self, plaintext: bytes, last: bool) -> None:
        self._out.write(self._aead.encrypt(_nonce(self._counter, last), plaintext, self._header))
        self._counter += 1


WRONG_KEY = (
    "Fel nyckel: arkivet är inte krypterat med den här nyckeln (eller arkivets huvud är ändrat). Inget har "
    "återställts. / Wrong key: the archive was not encrypted with this key (or its header was altered). "
    "Nothing was restored."
)
DAMAGED = (
    "Arkivet är skadat, avkortat eller ändrat: en del av det klarar inte äkthetskontrollen. Inget har "
    "återställts. / The archive is damaged, truncated or altered: part of it fails authentication. "
    "Nothing was restored."
)
TRUNCATED = (
    "Arkivet är avkortat: slutet saknas. Inget har återställts. / "
    "The archive is truncated: its end is missing. Nothing was restored."
)


def decrypt_chunks(src: BinaryIO, key: bytes) -> Iterator[bytes]:
    """The plaintext chunks of an archive, each authenticated before it is yielded."""
    raw = src.read(HEADER.size)
    if len(raw) < HEADER.size or raw[:8] != MAGIC:
        raise BackupError("Filen är inte en säkerhetskopia från Uppsök. / The file is not an Uppsök backup.")
    magic, version, chunk_size, salt, key_id = HEADER.unpack(raw)
    if version != FORMAT_VERSION:
        raise BackupError(f"Arkivformatet version {version} stöds inte av den här versionen av Uppsök. / "
                          f"Archive format version {version} is not supported by this version of Uppsök.")
    if not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise BackupError(DAMAGED)
    data_key, expected_id = _derive(key, salt)
    if not secrets.compare_digest(key_id, expected_id):
        raise BackupError(WRONG_KEY)
    aead = AESGCM(data_key)
    block = chunk_size + TAG_SIZE
    counter = 0
    current = src.read(block)
    while True:
        following = src.read(block) if len(current) == block else b""
        last = not following
        if last and not current:
            raise BackupError(TRUNCATED)
        try:
            plaintext = aead.decrypt(_nonce(counter, last), current, raw)
        except InvalidTag:
            if last and _decrypts(aead, counter, current, raw):
                raise BackupError(TRUNCATED) from None
            raise BackupError(DAMAGED) from None
        yield plaintext
        if last:
            return
        counter += 1
        current = following


def _decrypts(aead: AESGCM, counter: int, chunk: bytes, header: bytes) -> bool:
    try:
        aead.decrypt(_nonce(counter, False), chunk, header)
    except InvalidTag:
        return False
    return True
