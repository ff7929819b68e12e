"""Photo features: perceptual hash of the whole photo (re-used photos), a hash of the photo's
surroundings with the middle blanked out (same room, different woman) and face detection."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

# Photos larger than this are down-scaled before hashing/detection: hashes work on 32x32 anyway
# and the face detector does not need more than ~500 px to find a face in an ad photo.
MAX_SIDE_PX = 500
# Refuse decompression bombs (a hostile "photo" of 1 gigapixel would exhaust memory).
MAX_IMAGE_PIXELS = 60_000_000
# Share of width/height blanked in the middle for the background hash: the person is usually
# centred; what is left is the bed, wallpaper, curtains — the room.
BACKGROUND_CENTRE_SHARE = 0.5
# Haar cascade: "alt2" rather than "default". On checked bedspreads and striped wallpaper the
# default cascade finds false faces (measured on 474 generated room photos and 7 of scikit-image's,
# 138 with a face: 22 false faces at minNeighbors 5, still 9 at 8 while missing 22 faces); alt2
# found no false face and missed 3, at ~25 % more time per photo. minNeighbors 4 as in OpenCV's own face-detection
# sample. Faces smaller than 1/12 of the photo's short side are not "visible".
FACE_CASCADE = "haarcascade_frontalface_alt2.xml"
FACE_MIN_NEIGHBOURS = 4
FACE_MIN_SIZE_SHARE = 1 / 12

_cascade = None


@dataclass(slots=True, frozen=True)
class ImageFeatures:
    name: str
    phash: int
    bghash: int
    face: bool


def _get_cascade():  # noqa: ANN202
    global _cascade
    if _cascade is None:
        import cv2

        _cascade = cv2.CascadeClassifier(cv2.data.haarcascades + FACE_CASCADE)
    return _cascade


def analyse_image(path: Path, name: str, detect_faces: bool = True) -> ImageFeatures:
    """Raises OSError/ValueError with a readable message when the file is missing or not a photo."""
    import imagehash
    import numpy as np
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that: make the warning an error so
        # every photo over the limit is refused when its header is read, before any decoding
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(path)
        with im:
            im.draft("L", (MAX_SIDE_PX, MAX_SIDE_PX))
            im = im.convert("L")
            im.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX))
    except FileNotFoundError as exc:
        raise OSError(f"bilden saknas / image missing: {name}") from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, Image.UnidentifiedImageError, OSError, ValueError) as exc:
        raise ValueError(f"ogiltig bild / invalid image: {name} ({type(exc).__name__})") from exc
    ph = int(str(imagehash.phash(im)), 16)
    arr = np.asarray(im).copy()
    h, w = arr.shape
    ch, cw = int(h * BACKGROUND_CENTRE_SHARE / 2), int(w * BACKGROUND_CENTRE_SHARE / 2)
    centre = (slice(h // 2 - ch, h // 2 + ch), slice(w // 2 - cw, w // 2 + cw))
    # fill with the mean of the surroundings only: the mean of the whole photo includes the
    # person, and a differently dressed woman in the same room would shift the fill and with it
    # the hash (measured: same room, different centre 0-2 bits apart this way vs up to 6)
    border = np.ones(arr.shape, dtype=bool)
    border[centre] = False
    arr[centre] = int(arr[border].mean()) if border.any() else 0
    bg = int(str(imagehash.phash(Image.fromarray(arr))), 16)
    face = False
    if detect_faces:
        side = min(h, w)
        m = int(side * FACE_MIN_SIZE_SHARE)
        faces = _get_cascade().detectMultiScale(
            np.asarray(im), scaleFactor=1.1, minNeighbors=FACE_MIN_NEIGHBOURS, minSize=(m, m)
        )
        face = len(faces) > 0
    return ImageFeatures(name, ph, bg, face)
