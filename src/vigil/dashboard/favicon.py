"""The browser-tab icon, drawn locally.

Streamlit turns emoji and ``:material/...:`` page icons into links to public icon servers, so the
browser would reach the internet for them; an image is served by the dashboard itself.
"""

from __future__ import annotations

from functools import cache

from PIL import Image, ImageDraw

SIZE = 64
COLOR = (37, 99, 235, 255)
"""the dashboard's accent blue"""


@cache
def favicon() -> Image.Image:
    """A shield outline with a tick: Vigil's mark, 64 x 64 pixels."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    shield = [(32, 4), (58, 14), (54, 40), (32, 60), (10, 40), (6, 14)]
    draw.polygon(shield, fill=COLOR)
    draw.line([(20, 32), (29, 42), (45, 22)], fill=(255, 255, 255, 255), width=6)
    return image
