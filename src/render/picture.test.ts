import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { picture } from './picture.ts';

const img = { storageKey: 'k1', width: 800, height: 450, renditionWidths: [320, 640, 800], altText: 'Cranes at dawn' };

describe('picture', () => {
  it('offers AVIF, WebP and a JPEG img with srcset, sizes, width and height', () => {
    const out = picture(img, { sizes: '100vw' }).value;
    assert.match(
      out,
      /<source type="image\/avif" srcset="\/media\/k1\/w320\.avif 320w, \/media\/k1\/w640\.avif 640w, \/media\/k1\/w800\.avif 800w" sizes="100vw">/,
    );
    assert.match(out, /<source type="image\/webp" srcset="[^"]*w800\.webp 800w"/);
    assert.match(
      out,
      /<img src="\/media\/k1\/w800\.jpg" srcset="[^"]*w320\.jpg 320w[^"]*" sizes="100vw" width="800" height="450" alt="Cranes at dawn" loading="lazy"/,
    );
  });

  it('offers only the formats recorded for the image (an image made before AVIF gets no AVIF source)', () => {
    const out = picture({ ...img, formats: ['webp', 'jpg'] }, { sizes: '100vw' }).value;
    assert.doesNotMatch(out, /avif/);
    assert.match(out, /<source type="image\/webp"/);
    assert.match(out, /<img src="\/media\/k1\/w800\.jpg"/);
  });
});
