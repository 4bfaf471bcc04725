#!/usr/bin/env python3
"""Draw the two example photos (synthetic, so they carry no rights issues).

Needs numpy and Pillow (pip install numpy pillow); run from this directory.
The JPEGs are committed; this only documents how they were made.
"""
import numpy as np
from PIL import Image, ImageDraw, ImageFilter
rng = np.random.default_rng(7)

def mountains(h, w, base, amp, seed, rough=6):
    r = np.random.default_rng(seed)
    x = np.linspace(0, 1, w)
    y = np.zeros(w)
    for k in range(1, rough + 1):
        y += amp / k * np.sin(2 * np.pi * (k * 1.7 * x + r.random()))
    return (base + y).astype(int)

# 1: sunset over mountains and a lake, landscape 1600x1000
W, H = 1600, 1000
yy, xx = np.mgrid[0:H, 0:W]
t = yy / H
sky = np.stack([255 - 60 * t, 150 - 90 * t + 60 * (1 - t) ** 3, 90 + 100 * t], -1)
d = np.hypot(xx - 1050, yy - 430)
sun = np.clip(1 - d / 90, 0, 1)[..., None]
glow = np.exp(-d / 260)[..., None]
img = sky * (1 - sun) + np.array([255, 240, 200]) * sun + glow * np.array([80, 40, 0])
for i, (base, amp, col) in enumerate([(470, 60, (110, 60, 90)), (540, 45, (70, 40, 70)), (600, 30, (40, 25, 45))]):
    ridge = mountains(H, W, base, amp, i + 3)
    mask = yy > ridge[None, :]
    img[mask] = col
lake = yy > 650
refl = img[np.clip(1300 - yy, 0, H - 1), xx] * 0.6 + np.array([10, 20, 40])
img[lake] = refl[lake]
img += rng.normal(0, 3, img.shape)
Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6)).save("sunset.jpg", quality=82, optimize=True)

# 2: a lighthouse on a cliff by day, portrait 900x1200
W, H = 900, 1200
yy, xx = np.mgrid[0:H, 0:W]
t = yy / H
img = np.stack([120 + 80 * t, 170 + 60 * t, 235 + 0 * t], -1).astype(float)
sea = yy > 760
img[sea] = np.stack([20 + 30 * t, 80 + 40 * t, 140 + 30 * t], -1)[sea]
cliff = (yy > 820 - 0.25 * xx) & (xx < 560) | (yy > 980)
img[cliff] = [95, 120, 70]
im = Image.fromarray(np.clip(img + rng.normal(0, 3, img.shape), 0, 255).astype(np.uint8))
dr = ImageDraw.Draw(im)
dr.polygon([(250, 380), (330, 380), (345, 740), (235, 740)], fill=(240, 240, 235))
for y in range(430, 740, 80):
    dr.polygon([(248 - (y - 380) * 0.03, y), (332 + (y - 380) * 0.03, y), (334 + (y - 380) * 0.03, y + 35), (246 - (y - 380) * 0.03, y + 35)], fill=(200, 40, 40))
dr.rectangle([255, 330, 325, 380], fill=(250, 230, 120))
dr.polygon([(245, 330), (335, 330), (290, 280)], fill=(60, 60, 70))
for cx, cy in [(620, 200), (700, 230), (760, 190), (150, 150), (210, 170)]:
    dr.ellipse([cx - 60, cy - 25, cx + 60, cy + 25], fill=(250, 250, 252))
im.filter(ImageFilter.GaussianBlur(0.8)).save("lighthouse.jpg", quality=82, optimize=True)
